package dev.sparkgateway.it;

import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * A command-line tool (go, node, python3...) that an IT runs against the packaged gateway. A missing
 * tool fails the build loudly instead of skipping, so CI (which installs them in .ci/run) cannot
 * pass without running the suites.
 */
record ExternalTool(String name, Path executable) {

    /** What a run printed (stdout and stderr merged, line by line) and how it exited. */
    record Run(int exitCode, List<String> output) {

        /** The lines starting with {@code prefix + " "}, without that prefix. */
        List<String> lines(String prefix) {
            return output.stream().filter(l -> l.startsWith(prefix + " ")).map(l -> l.substring(prefix.length() + 1)).toList();
        }
    }

    /** The tool on PATH, or a failure naming what to install. */
    static ExternalTool require(String name, String install) {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
            Path candidate = Path.of(dir, name);
            if (Files.isExecutable(candidate)) {
                return new ExternalTool(name, candidate);
            }
        }
        String line = "* no '" + name + "' on PATH: install it with  " + install + "  (.ci/run does this on CI)";
        return fail("\n\n" + "*".repeat(line.length()) + "\n" + line + "\n" + "*".repeat(line.length()));
    }

    /**
     * Runs the tool in {@code dir}, copying its output (but "row ..." lines) to the build log as it
     * comes; kills it and its children at the end, whatever happens.
     */
    Run run(Path dir, Map<String, String> env, long timeoutMinutes, String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>();
        command.add(executable.toString());
        command.addAll(List.of(args));
        System.out.println("[" + name + "] $ " + String.join(" ", command));
        ProcessBuilder builder = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true);
        builder.environment().putAll(env);
        Process process = builder.start();
        List<String> output = new ArrayList<>();
        try {
            Thread pump = new Thread(() -> {
                try (BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                    for (String line; (line = out.readLine()) != null; ) {
                        if (!line.startsWith("row ")) { // rows: the examples' own "rows N" line sums them up
                            System.out.println("[" + name + "] " + line);
                        }
                        synchronized (output) {
                            output.add(line);
                        }
                    }
                } catch (IOException e) {
                    System.out.println("[" + name + "] output lost: " + e.getMessage());
                }
            }, name + "-output");
            pump.start();
            assertTrue(process.waitFor(timeoutMinutes, TimeUnit.MINUTES),
                    name + " " + String.join(" ", args) + " ran longer than " + timeoutMinutes + " minutes");
            pump.join(TimeUnit.SECONDS.toMillis(10));
            synchronized (output) {
                return new Run(process.exitValue(), List.copyOf(output));
            }
        } finally {
            process.descendants().forEach(ProcessHandle::destroyForcibly);
            process.destroyForcibly();
        }
    }
}
