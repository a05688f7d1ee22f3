package dev.sparkgateway.embedded;

import com.google.common.util.concurrent.ThreadFactoryBuilder;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.OptionalLong;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Owns the embedded local Spark Connect server: started on first demand, started again when it dies
 * (a driver out of memory exits, see {@link LocalSparkServer}), stopped with the gateway. Requests in
 * between get the documented 503 and readiness is DOWN, so the gateway heals without a restart.
 */
@ApplicationScoped
public class EmbeddedSparkServer {

    private static final Logger LOG = Logger.getLogger(EmbeddedSparkServer.class);
    /** Pause before starting again, so a server that dies at once cannot spin the machine. */
    private static final Duration RESTART_DELAY = Duration.ofSeconds(2);

    private final EmbeddedSparkConfig config;
    private LocalSparkServer server;
    private boolean stopping;
    private final ScheduledExecutorService restarts = Executors.newSingleThreadScheduledExecutor(
            new ThreadFactoryBuilder().setNameFormat("embedded-spark-restart").setDaemon(true).build());

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
                String classpath = SparkServerClasspath.read(Path.of(config.classpathFile()));
                LocalSparkServer started = LocalSparkServer.start(new LocalSparkServer.Settings(config.port(), config.master(),
                        config.driverMemory(), config.conf(), Path.of(config.workDir()), config.startupTimeout(), classpath));
                server = started;
                started.onExit().thenAccept(code -> exited(started, code));
            } catch (IOException e) {
                throw new UncheckedIOException(e.getMessage(), e);
            }
        }
        return config.port();
    }

    private synchronized void exited(LocalSparkServer dead, int code) {
        if (stopping || server != dead) {
            return;
        }
        server = null;
        LOG.warnf("The local Spark Connect server exited unexpectedly (code %d%s); starting it again in %d s. Its log: %s",
                code, code == 3 ? ", out of memory: raise gateway.spark.embedded.driver-memory or see docs/deploy.md"
                        : "", RESTART_DELAY.toSeconds(), dead.log());
        restarts.schedule(this::restart, RESTART_DELAY.toMillis(), TimeUnit.MILLISECONDS);
    }

    private void restart() {
        try {
            start();
        } catch (RuntimeException e) {
            LOG.warnf("Starting the local Spark Connect server again failed: %s; retrying in %d s", e.getMessage(),
                    RESTART_DELAY.toSeconds());
            synchronized (this) {
                if (!stopping) {
                    restarts.schedule(this::restart, RESTART_DELAY.toMillis(), TimeUnit.MILLISECONDS);
                }
            }
        }
    }

    /** The running server's process id, if one runs now. */
    synchronized OptionalLong pid() {
        return server != null && server.isAlive() ? OptionalLong.of(server.pid()) : OptionalLong.empty();
    }

    @PreDestroy
    synchronized void stop() {
        stopping = true;
        restarts.shutdownNow();
        if (server != null) {
            server.close();
            server = null;
        }
    }
}
