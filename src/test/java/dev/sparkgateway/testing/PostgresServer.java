package dev.sparkgateway.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.GroupPrincipal;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.UserPrincipal;
import java.nio.file.attribute.UserPrincipalLookupService;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A real PostgreSQL for one test class, from the Debian {@code postgresql} package: {@code initdb}
 * into a fresh temp dir, listening on 127.0.0.1 only, on a free port, trust authentication (no
 * password), settings for speed over durability (fsync off). PostgreSQL refuses to run as root, so
 * under root (CI, the dev machine) it runs as the package's {@code postgres} user. It stops
 * (immediate shutdown) in {@link #close()}, in a shutdown hook and when the test JVM is killed.
 */
public final class PostgresServer implements AutoCloseable {

    public static final String USER = "gateway";
    public static final String DATABASE = "gateway";
    private static final Path DEBIAN = Path.of("/usr/lib/postgresql");
    private static final boolean ROOT = "root".equals(System.getProperty("user.name"));

    private final Path directory;
    private final Path bin;
    private final int port;
    private final Process process;
    private final ProcessGuard guard;

    private PostgresServer(Path directory, Path bin, int port, Process process) {
        this.directory = directory;
        this.bin = bin;
        this.port = port;
        this.process = process;
        this.guard = ProcessGuard.of(process.toHandle(), "QUIT");
    }

    /** Starts a server with an empty database {@value #DATABASE} owned by superuser {@value #USER}. */
    public static PostgresServer start() throws IOException, InterruptedException {
        Path bin = binDirectory();
        Path directory = Files.createTempDirectory("sparkgateway-pg-");
        Path data = directory.resolve("data");
        ownedByPostgres(directory);
        run(directory, directory.resolve("initdb.log"), bin.resolve("initdb").toString(), "-D", data.toString(),
                "-U", USER, "--auth=trust", "-E", "UTF8", "--no-locale", "--no-sync");
        // A free port can be taken between the probe and the bind: a few attempts.
        for (int attempt = 1; ; attempt++) {
            int port = SparkConnectTestResource.freePort();
            Process process = new ProcessBuilder(asPostgres(List.of(bin.resolve("postgres").toString(), "-D", data.toString(),
                    "-c", "listen_addresses=127.0.0.1", "-c", "port=" + port,
                    "-c", "unix_socket_directories=" + directory, "-c", "shared_buffers=16MB", "-c", "max_connections=100",
                    "-c", "fsync=off", "-c", "synchronous_commit=off", "-c", "full_page_writes=off")))
                    .directory(directory.toFile()).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(directory.resolve("postgres.log").toFile())).start();
            PostgresServer server = new PostgresServer(directory, bin, port, process);
            try {
                server.awaitReady();
                server.psql("postgres", "CREATE DATABASE " + DATABASE);
                return server;
            } catch (IllegalStateException | IOException | InterruptedException e) {
                server.stopProcess();
                if (attempt == 3 || !(e instanceof IllegalStateException) || !server.logTail(20).contains("could not bind")) {
                    server.deleteDirectory();
                    throw e;
                }
            }
        }
    }

    public String jdbcUrl() {
        return "jdbc:postgresql://127.0.0.1:" + port + "/" + DATABASE;
    }

    public String host() {
        return "127.0.0.1";
    }

    public int port() {
        return port;
    }

    public String user() {
        return USER;
    }

    /** Always empty: loopback connections are trusted. */
    public Optional<String> password() {
        return Optional.empty();
    }

    public String database() {
        return DATABASE;
    }

    /** The settings that point a gateway's Quarkus datasource here (as -D settings of a {@link GatewayProcess}). */
    public Map<String, String> datasourceSettings() {
        return Map.of("quarkus.datasource.db-kind", "postgresql", "quarkus.datasource.jdbc.url", jdbcUrl(),
                "quarkus.datasource.username", USER);
    }

    /** Runs {@code sql} with psql in database {@value #DATABASE}; returns its unaligned, tuples-only output. */
    public String psql(String sql) throws IOException, InterruptedException {
        return psql(DATABASE, sql);
    }

    public Path log() {
        return directory.resolve("postgres.log");
    }

    /** The last {@code lines} lines of the server log, for failure messages. */
    public String logTail(int lines) {
        try {
            List<String> all = Files.readAllLines(log(), StandardCharsets.UTF_8);
            return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
        } catch (IOException e) {
            return "(no log: " + e + ")";
        }
    }

    public long pid() {
        return process.pid();
    }

    /** Immediate shutdown (its backends end with it), then the temp dir goes. */
    @Override
    public void close() {
        stopProcess();
        deleteDirectory();
    }

    private void stopProcess() {
        guard.terminate();
        guard.close();
    }

    private String psql(String database, String sql) throws IOException, InterruptedException {
        Path psql = Files.isExecutable(bin.resolve("psql")) ? bin.resolve("psql") : Path.of("psql");
        Process process = new ProcessBuilder(psql.toString(), "-X", "-q", "-A", "-t", "-v", "ON_ERROR_STOP=1",
                "-h", host(), "-p", Integer.toString(port), "-U", USER, "-d", database, "-c", sql)
                .redirectErrorStream(true).start();
        process.getOutputStream().close();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        if (!process.waitFor(30, TimeUnit.SECONDS) || process.exitValue() != 0) {
            process.destroyForcibly();
            throw new IllegalStateException("psql -c '" + sql + "' failed: " + output + "\nserver log:\n" + logTail(20));
        }
        return output;
    }

    /** pg_isready until the server accepts connections (it rejects them while starting up). */
    private void awaitReady() throws IOException, InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (System.nanoTime() < deadline && process.isAlive()) {
            Process probe = new ProcessBuilder(bin.resolve("pg_isready").toString(), "-q", "-h", host(),
                    "-p", Integer.toString(port), "-U", USER, "-d", "postgres", "-t", "2")
                    .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            if (probe.waitFor(10, TimeUnit.SECONDS) && probe.exitValue() == 0) {
                return;
            }
            probe.destroyForcibly();
            Thread.sleep(100);
        }
        throw new IllegalStateException("PostgreSQL on port " + port + " did not accept connections"
                + (process.isAlive() ? " within 60 s" : " (exited " + process.exitValue() + ")") + "; " + log() + " ends:\n"
                + logTail(30));
    }

    private void deleteDirectory() {
        try (Stream<Path> paths = Files.walk(directory)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            // Best effort: a temp dir.
        }
    }

    /** The newest installed version's bin directory (/usr/lib/postgresql/&lt;version&gt;/bin). */
    static Path binDirectory() throws IOException {
        if (Files.isDirectory(DEBIAN)) {
            try (Stream<Path> versions = Files.list(DEBIAN)) {
                Optional<Path> newest = versions.filter(v -> v.getFileName().toString().matches("\\d+(\\.\\d+)?"))
                        .filter(v -> Files.isExecutable(v.resolve("bin/initdb")))
                        .max(Comparator.comparingDouble(v -> Double.parseDouble(v.getFileName().toString())));
                if (newest.isPresent()) {
                    return newest.get().resolve("bin");
                }
            }
        }
        throw new IllegalStateException("no PostgreSQL under " + DEBIAN + ": apt-get install postgresql (.ci/run does)");
    }

    private static void run(Path directory, Path log, String... command) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(asPostgres(List.of(command))).directory(directory.toFile())
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        if (!process.waitFor(2, TimeUnit.MINUTES) || process.exitValue() != 0) {
            process.destroyForcibly();
            throw new IllegalStateException(String.join(" ", command) + " failed:\n" + Files.readString(log));
        }
    }

    /** Under root, the command runs as user postgres (setpriv execs it: the PID is the command's own). */
    private static List<String> asPostgres(List<String> command) {
        if (!ROOT) {
            return command;
        }
        List<String> wrapped = new ArrayList<>(List.of("setpriv", "--reuid=postgres", "--regid=postgres",
                "--init-groups", "--reset-env", "--"));
        wrapped.addAll(command);
        return wrapped;
    }

    private static void ownedByPostgres(Path directory) throws IOException {
        if (!ROOT) {
            return;
        }
        UserPrincipalLookupService users = directory.getFileSystem().getUserPrincipalLookupService();
        UserPrincipal user;
        GroupPrincipal group;
        try {
            user = users.lookupPrincipalByName("postgres");
            group = users.lookupPrincipalByGroupName("postgres");
        } catch (IOException e) {
            throw new IllegalStateException("running as root, PostgreSQL needs the postgres user of the Debian package", e);
        }
        PosixFileAttributeView view = Files.getFileAttributeView(directory, PosixFileAttributeView.class);
        view.setOwner(user);
        view.setGroup(group);
    }
}
