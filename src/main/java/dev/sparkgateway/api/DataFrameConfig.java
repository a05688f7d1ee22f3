package dev.sparkgateway.api;

import dev.sparkgateway.plan.dataframe.SpecLimits;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** Bounds on DataFrame specs (POST /v1/dataframe and the dataframe of a statement). */
@ConfigMapping(prefix = "gateway.dataframe")
public interface DataFrameConfig {

    /** How deeply specs may nest (each join or set operation's right side is one level deeper). */
    @WithDefault("16")
    int maxDepth();

    /** Sources plus operations across all nested specs of one request. */
    @WithDefault("500")
    int maxOperations();

    /** Inline rows ({@code values} sources) in one request; bigger data belongs in a table or file. */
    @WithDefault("10000")
    int maxInlineRows();

    default SpecLimits limits() {
        return new SpecLimits(maxDepth(), maxOperations(), maxInlineRows());
    }
}
