package dev.sparkgateway.embedded;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;
import java.util.Map;

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

    /** The server's classpath, one line; {@code bin/spark-classpath} writes the default one. */
    @WithDefault("spark-server/target/classpath.txt")
    String classpathFile();

    /** Time to start, until the server accepts connections. */
    @WithDefault("3m")
    Duration startupTimeout();
}
