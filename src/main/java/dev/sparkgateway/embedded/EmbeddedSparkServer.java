package dev.sparkgateway.embedded;

import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;

/** Owns the embedded local Spark Connect server: started on first demand, stopped with the gateway. */
@ApplicationScoped
public class EmbeddedSparkServer {

    private final EmbeddedSparkConfig config;
    private LocalSparkServer server;

    public EmbeddedSparkServer(EmbeddedSparkConfig config) {
        this.config = config;
    }

    /** Starts the server if needed and returns its port. */
    public synchronized int start() {
        if (!config.enabled()) {
            throw new IllegalStateException("No Spark Connect server configured: set gateway.spark.url=sc://host:15002"
                    + " or enable the embedded server (gateway.spark.embedded.enabled=true)");
        }
        if (server == null) {
            try {
                String classpath = SparkServerClasspath.resolve(config.classpathFile().map(Path::of),
                        Path.of(config.serverPom()), config.resolveTimeout());
                server = LocalSparkServer.start(new LocalSparkServer.Settings(config.port(), config.master(),
                        config.driverMemory(), config.conf(), Path.of(config.workDir()), config.startupTimeout(), classpath));
            } catch (IOException e) {
                throw new UncheckedIOException(e.getMessage(), e);
            }
        }
        return server.port();
    }

    @PreDestroy
    synchronized void stop() {
        if (server != null) {
            server.close();
            server = null;
        }
    }
}
