package dev.sparkgateway.policy;

import org.apache.spark.sql.internal.SQLConf;
import org.apache.spark.sql.internal.StaticSQLConf;

import java.util.List;
import java.util.Locale;

/**
 * Which configuration keys a restricted session may not set or reset. Ordinary runtime SQL confs
 * ({@code spark.sql.shuffle.partitions}) and custom keys ({@code myapp.x}) stay settable.
 */
public final class ConfPolicy {

    /** Session confs are copied into every Hadoop Configuration the session creates. */
    private static final List<String> HADOOP_PREFIXES = List.of("fs.", "hadoop.", "dfs.", "mapreduce.", "mapred.",
            "yarn.", "io.", "ipc.", "hive.", "parquet.", "orc.", "avro.", "javax.jdo.", "datanucleus.");

    static {
        // Static SQL confs register themselves when StaticSQLConf is first loaded; a running
        // server has loaded it long ago, this makes isStaticConfigKey right from the start.
        StaticSQLConf.WAREHOUSE_PATH();
    }

    private ConfPolicy() {
    }

    /** Whether setting or resetting {@code key} is denied in a restricted session. */
    public static boolean denied(String key) {
        String k = key.strip();
        String lower = k.toLowerCase(Locale.ROOT);
        if (lower.startsWith("spark.sparkgateway.") || lower.startsWith("spark.hadoop.")
                || lower.equals("spark.sql.legacy.setcommandrejectssparkcoreconfs")) {
            return true;
        }
        if (lower.startsWith("spark.")) {
            if (!lower.startsWith("spark.sql.")) {
                return true; // Spark core confs: the driver, executors, the Connect server itself.
            }
            return SQLConf.isStaticConfigKey(k)
                    // Catalog plugins and committers are classes Spark instantiates by name.
                    || lower.startsWith("spark.sql.catalog.") || lower.contains("class")
                    || lower.equals("spark.sql.execution.pyspark.python")
                    || lower.equals("spark.sql.streaming.checkpointlocation");
        }
        return HADOOP_PREFIXES.stream().anyMatch(lower::startsWith);
    }
}
