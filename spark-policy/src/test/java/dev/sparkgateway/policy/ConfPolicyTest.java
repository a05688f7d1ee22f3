package dev.sparkgateway.policy;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ConfPolicyTest {

    @Test
    void theMarkStaticServerAndHadoopConfsAreDenied() {
        for (String key : new String[] {GatewayPolicyExtensions.RESTRICTED, "SPARK.SPARKGATEWAY.policy.allowedRoots",
                "spark.sql.warehouse.dir", "spark.sql.extensions", "spark.executor.memory", "spark.connect.grpc.binding.port",
                "spark.hadoop.fs.defaultFS", "spark.sql.legacy.setCommandRejectsSparkCoreConfs", "spark.sql.catalog.evil",
                "spark.sql.sources.commitProtocolClass", "fs.file.impl", "hadoop.security.authentication",
                "parquet.crypto.factory.class", " spark.master "}) {
            assertTrue(ConfPolicy.denied(key), key);
        }
    }

    @Test
    void ordinaryRuntimeSqlConfsAndCustomKeysAreAllowed() {
        for (String key : new String[] {"spark.sql.shuffle.partitions", "spark.sql.ansi.enabled",
                "spark.sql.session.timeZone", "spark.sql.sources.useV1SourceList", "myapp.setting", "x"}) {
            assertFalse(ConfPolicy.denied(key), key);
        }
    }
}
