package dev.sparkgateway.problem;

import dev.sparkgateway.problem.ProblemTypeResource.ProblemTypeDoc;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The HTML form of a problem type's page: one static page, so no template engine. */
final class ProblemTypePage {

    private static final Pattern CODE = Pattern.compile("`([^`]*)`");
    private static final Pattern LINK = Pattern.compile("\\[([^]]*)]\\([^)]*\\)");

    private ProblemTypePage() {
    }

    static String html(ProblemTypeDoc doc) {
        return "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>" + escape(doc.title())
                + "</title></head>\n<body>\n<h1>" + escape(doc.title()) + "</h1>\n"
                + "<p><code>" + escape(doc.type()) + "</code>, HTTP status " + doc.status() + "</p>\n"
                + "<h2>When</h2>\n<p>" + markdown(doc.when()) + "</p>\n"
                + "<h2>What to do</h2>\n<p>" + markdown(doc.whatToDo()) + "</p>\n"
                + "<p><a href=\"/problems\">All problem types</a></p>\n</body></html>\n";
    }

    /** The little Markdown the texts use: code spans, and links (kept as their text: they point into docs/). */
    static String markdown(String text) {
        String escaped = escape(LINK.matcher(text).replaceAll("$1"));
        return CODE.matcher(escaped).replaceAll(m -> "<code>" + Matcher.quoteReplacement(m.group(1)) + "</code>");
    }

    static String escape(String text) {
        return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }
}
