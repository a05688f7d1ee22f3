package dev.sparkgateway.plan.dataframe;

import com.fasterxml.jackson.databind.JsonNode;
import org.apache.spark.connect.proto.Relation;

/** The one entry point: a JSON DataFrame spec to the Spark Connect relation it describes. */
public final class DataFrameSpecs {

    private DataFrameSpecs() {
    }

    /**
     * @param pointer where the spec sits in the request body ("" for a whole body), so errors point into it
     * @throws dev.sparkgateway.plan.PlanException naming the offending location
     */
    public static Relation toRelation(JsonNode spec, String pointer, SpecLimits limits) {
        return SpecTranslator.toRelation(SpecParser.parse(spec, pointer, limits));
    }
}
