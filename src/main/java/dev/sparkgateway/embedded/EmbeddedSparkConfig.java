package dev.sparkgateway.embedded;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;

/** The local Spark Connect server the gateway starts when {@code gateway.spark.url} is not set. */
@ConfigMapping(prefix = "gateway.spark.embedded")
public interface EmbeddedSparkConfig {

    /** Start a local server when no remote URL is configured. */
    @WithDefault("true")
    boolean enabled();

    @WithDefault("15002")
    int port();

    @WithDefault("local[*]")
    String master();

    /** Heap of the Spark driver JVM. */
    @WithDefault("2g")
    String driverMemory();

    /** Extra Spark settings, e.g. {@code gateway.spark.embedded.conf."spark.sql.shuffle.partitions"=8}. */
    Map<String, String> conf();

    /** Folder for the server's log, warehouse and temp files. */
    @WithDefault("target/embedded-spark")
    String workDir();

    /** Maven project listing the server's jars (resolved once, then cached). */
    @WithDefault("spark-server/pom.xml")
    String serverPom();

    /** A file holding a ready classpath; skips Maven resolution. */
    Optional<String> classpathFile();

    /** Time to resolve jars (first run downloads ~280 MB) and to start. */
    @WithDefault("15m")
    Duration resolveTimeout();

    @WithDefault("3m")
    Duration startupTimeout();
}
