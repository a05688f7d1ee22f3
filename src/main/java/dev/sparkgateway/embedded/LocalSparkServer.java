package dev.sparkgateway.embedded;

import org.jboss.logging.Logger;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * A Spark Connect server in a child JVM on 127.0.0.1. Used by the gateway's embedded mode, by the
 * tests and by {@code bin/spark-connect-server}. The child dies with us: a shutdown hook stops it,
 * and {@link SparkServerMain} exits by itself when our end of its stdin closes.
 */
public final class LocalSparkServer implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(LocalSparkServer.class);
    private static final String MAIN = SparkServerMain.class.getName();
    /** The Spark SQL extension of spark-policy/, loaded by default (an explicit spark.sql.extensions wins). */
    public static final String POLICY_EXTENSIONS = "dev.sparkgateway.policy.GatewayPolicyExtensions";

    // What spark-submit adds for Java 17; Spark fails at startup or at first query without them.
    private static final List<String> JAVA17_FLAGS = List.of(
            "-XX:+IgnoreUnrecognizedVMOptions", "--add-modules=jdk.incubator.vector",
            "--add-opens=java.base/java.lang=ALL-UNNAMED", "--add-opens=java.base/java.lang.invoke=ALL-UNNAMED",
            "--add-opens=java.base/java.lang.reflect=ALL-UNNAMED", "--add-opens=java.base/java.io=ALL-UNNAMED",
            "--add-opens=java.base/java.net=ALL-UNNAMED", "--add-opens=java.base/java.nio=ALL-UNNAMED",
            "--add-opens=java.base/java.util=ALL-UNNAMED", "--add-opens=java.base/java.util.concurrent=ALL-UNNAMED",
            "--add-opens=java.base/java.util.concurrent.atomic=ALL-UNNAMED", "--add-opens=java.base/jdk.internal.ref=ALL-UNNAMED",
            "--add-opens=java.base/sun.nio.ch=ALL-UNNAMED", "--add-opens=java.base/sun.nio.cs=ALL-UNNAMED",
            "--add-opens=java.base/sun.security.action=ALL-UNNAMED", "--add-opens=java.base/sun.util.calendar=ALL-UNNAMED",
            "--add-opens=java.security.jgss/sun.security.krb5=ALL-UNNAMED",
            "-Djdk.reflect.useDirectMethodHandle=false", "-Dio.netty.tryReflectionSetAccessible=true");

    /** How to run the server. {@code conf} holds extra {@code spark.*} settings. */
    public record Settings(int port, String master, String driverMemory, Map<String, String> conf, Path workDir,
            Duration startupTimeout, String classpath) {
        public Settings {
            Objects.requireNonNull(master, "master is null");
            Objects.requireNonNull(workDir, "workDir is null");
            Objects.requireNonNull(classpath, "classpath is null");
            conf = Map.copyOf(conf);
        }
    }

    private final Settings settings;
    private final Process process;
    private final OutputStream lifeline;
    private final Path log;
    private final Thread hook;

    private LocalSparkServer(Settings settings, Process process, Path log) {
        this.settings = settings;
        this.process = process;
        this.lifeline = process.getOutputStream();
        this.log = log;
        this.hook = new Thread(this::stop, "stop-spark-connect-server");
        Runtime.getRuntime().addShutdownHook(hook);
    }

    /** Starts the server and returns once it accepts connections. */
    public static LocalSparkServer start(Settings settings) throws IOException {
        if (accepts(settings.port())) {
            throw new IOException("Port " + settings.port() + " is already in use, so a local Spark Connect server cannot start"
                    + " there. Stop what listens on it, choose another gateway.spark.embedded.port, or point"
                    + " gateway.spark.url at that server (sc://localhost:" + settings.port() + ").");
        }
        Path workDir = settings.workDir().toAbsolutePath();
        Files.createDirectories(workDir);
        Path launcher = writeLauncher(workDir.resolve("launcher"));
        Path log = workDir.resolve("spark-connect-server.log");
        List<String> command = command(settings, workDir, launcher);
        LOG.infof("Starting local Spark Connect server (%s, port %d); log: %s", settings.master(), settings.port(), log);
        long started = System.nanoTime();
        Process process = new ProcessBuilder(command)
                .directory(workDir.toFile())
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
                .redirectInput(ProcessBuilder.Redirect.PIPE)
                .start();
        LocalSparkServer server = new LocalSparkServer(settings, process, log);
        try {
            server.awaitReady(started);
        } catch (IOException | RuntimeException e) {
            server.close();
            throw e;
        }
        LOG.infof("Local Spark Connect server ready on 127.0.0.1:%d after %d ms (pid %d)", settings.port(),
                TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started), process.pid());
        return server;
    }

    private static List<String> command(Settings settings, Path workDir, Path launcher) {
        Map<String, String> conf = new LinkedHashMap<>();
        conf.put("spark.master", settings.master());
        conf.put("spark.app.name", "spark-connect-gateway-local");
        conf.put("spark.ui.enabled", "false");
        conf.put("spark.connect.grpc.binding.port", Integer.toString(settings.port()));
        conf.put("spark.connect.grpc.binding.address", "127.0.0.1");
        conf.put("spark.driver.host", "127.0.0.1");
        conf.put("spark.driver.bindAddress", "127.0.0.1");
        conf.put("spark.sql.warehouse.dir", workDir.resolve("warehouse").toString());
        // The gateway's SQL policy (spark-policy/): without it a session marked restricted is not.
        conf.put("spark.sql.extensions", POLICY_EXTENSIONS);
        conf.putAll(settings.conf());
        if (conf.get("spark.sql.extensions").contains(POLICY_EXTENSIONS)
                && !settings.classpath().contains(SparkServerClasspath.POLICY_JAR)) {
            LOG.warnf("The Spark Connect server's classpath has no %s: Spark will skip %s, and sessions the gateway"
                    + " marks restricted will not be. Run bin/spark-classpath, or add the jar"
                    + " (mvn -f spark-policy/pom.xml package) to your classpath file.",
                    SparkServerClasspath.POLICY_JAR, POLICY_EXTENSIONS);
        }
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.add("-Xmx" + settings.driverMemory());
        // A driver out of memory is broken for good (threads die at random); exiting lets its owner restart it.
        command.add("-XX:+ExitOnOutOfMemoryError");
        command.addAll(JAVA17_FLAGS);
        command.add("-Djava.io.tmpdir=" + workDir.resolve("tmp"));
        command.add("-Dderby.system.home=" + workDir);
        conf.forEach((k, v) -> command.add("-D" + k + "=" + v));
        command.add("-cp");
        command.add(launcher + java.io.File.pathSeparator + settings.classpath());
        command.add(MAIN);
        return command;
    }

    /** Copies the watchdog main class out of our own classpath, so the child needs nothing of the gateway's. */
    private static Path writeLauncher(Path dir) throws IOException {
        String resource = MAIN.replace('.', '/') + ".class";
        Path target = dir.resolve(resource);
        Files.createDirectories(target.getParent());
        Files.createDirectories(dir.getParent().resolve("tmp"));
        try (InputStream in = SparkServerMain.class.getClassLoader().getResourceAsStream(resource)) {
            if (in == null) {
                throw new IOException("Cannot find " + resource + " on the gateway's classpath");
            }
            Files.write(target, in.readAllBytes());
        }
        return dir;
    }

    private void awaitReady(long startedNanos) throws IOException {
        long deadline = startedNanos + settings.startupTimeout().toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IOException("The local Spark Connect server exited with code " + process.exitValue()
                        + " during startup. Last lines of " + log + ":\n" + tail());
            }
            if (accepts(settings.port())) {
                return;
            }
            try {
                Thread.sleep(200);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("Interrupted while waiting for the Spark Connect server", e);
            }
        }
        throw new IOException("The local Spark Connect server did not open port " + settings.port() + " within "
                + settings.startupTimeout() + ". Last lines of " + log + ":\n" + tail());
    }

    static boolean accepts(int port) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", port), 500);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private String tail() {
        try {
            List<String> lines = Files.readAllLines(log);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 30), lines.size()));
        } catch (IOException e) {
            return "(log unreadable: " + e.getMessage() + ")";
        }
    }

    /** {@code bin/spark-connect-server}: runs a server in the foreground until the JVM is stopped. */
    public static void main(String[] args) throws Exception {
        int port = args.length > 0 ? Integer.parseInt(args[0]) : 15002;
        String master = args.length > 1 ? args[1] : "local[*]";
        String classpath = SparkServerClasspath.read(SparkServerClasspath.DEFAULT_FILE);
        try (LocalSparkServer server = start(new Settings(port, master, System.getProperty("spark.driver.memory", "2g"),
                Map.of(), Path.of("target", "spark-connect-server"), Duration.ofMinutes(3), classpath))) {
            System.out.println("Spark Connect server on sc://localhost:" + port + " (log: " + server.log() + "); Ctrl-C stops it");
            server.process.waitFor();
        }
    }

    public int port() {
        return settings.port();
    }

    public Path log() {
        return log;
    }

    public long pid() {
        return process.pid();
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    /** Completes with the exit code when the server process ends, for whatever reason. */
    public CompletableFuture<Integer> onExit() {
        return process.onExit().thenApply(Process::exitValue);
    }

    @Override
    public void close() {
        stop();
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException ignored) {
            // Already shutting down: the hook is running or has run.
        }
    }

    private void stop() {
        if (!process.isAlive()) {
            return;
        }
        try {
            lifeline.close();
        } catch (IOException ignored) {
            // The watchdog sees EOF either way.
        }
        process.destroy();
        try {
            if (!process.waitFor(20, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
        LOG.infof("Local Spark Connect server on port %d stopped", settings.port());
    }
}
