package dev.sparkgateway.docs;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The curl examples of a Markdown document: what each posts where, and the answer it documents. */
public final class DocExamples {

    private static final Pattern BLOCK = Pattern.compile("```bash\\n(.*?)```", Pattern.DOTALL);
    private static final Pattern CURL = Pattern.compile(
            "curl -s '?localhost:8080(/[^ ']*)'?(?: -H '[^']*')* -d (?:'(.*?)'|\"(.*?)\")(\\s*\\|[^\\n]*)?\\n((?:# [^\\n]*\\n)?)",
            Pattern.DOTALL);

    /** One curl line: the path (with query), the body, whether its output is piped on, and the "# ..." line after it. */
    public record Example(String path, String body, boolean piped, String expected) {
    }

    private DocExamples() {
    }

    public static List<Example> read(Path file) throws java.io.IOException {
        String text = Files.readString(file);
        List<Example> examples = new ArrayList<>();
        Matcher block = BLOCK.matcher(text);
        while (block.find()) {
            Matcher m = CURL.matcher(block.group(1));
            while (m.find()) {
                String comment = m.group(5).isEmpty() ? null : m.group(5).substring(2).trim();
                examples.add(new Example(m.group(1), m.group(2) != null ? m.group(2) : m.group(3), m.group(4) != null, comment));
            }
        }
        return examples;
    }

    /** The bodies posted to /v1/dataframe endpoints: DataFrame specs. */
    public static List<String> dataFrameBodies(Path file) throws java.io.IOException {
        return read(file).stream().filter(e -> e.path().startsWith("/v1/dataframe")).map(Example::body).toList();
    }
}
