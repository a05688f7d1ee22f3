package dev.sparkgateway.api;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sparkgateway.problem.Problem;
import dev.sparkgateway.plan.PlanJson;
import dev.sparkgateway.plan.dataframe.DataFrameSpecs;
import dev.sparkgateway.auth.Principal;
import io.smallrye.common.annotation.Blocking;
import io.vertx.core.http.HttpServerRequest;
import jakarta.inject.Inject;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.apache.spark.connect.proto.Relation;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.ExampleObject;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import java.io.InputStream;

/** {@code POST /v1/dataframe}: a JSON DataFrame spec (docs/dataframe-spec.md) run like SQL. */
@Path("/v1/dataframe")
@APIResponse(responseCode = "413")
@APIResponse(responseCode = "415", description = "Body not JSON")
@APIResponse(responseCode = "429")
@APIResponse(responseCode = "502")
@APIResponse(responseCode = "503")
@Tag(name = "DataFrame", description = "Queries composed as JSON DataFrame specs")
public class DataFrameResource extends RelationResource {

    private static final String SPEC_EXAMPLE = "{\"source\": {\"range\": 100}, \"ops\": ["
            + "{\"withColumn\": {\"name\": \"bucket\", \"expr\": \"id % 3\"}},"
            + " {\"groupBy\": {\"by\": [\"bucket\"], \"agg\": [\"count(*) AS n\", \"sum(id) AS total\"]}},"
            + " {\"orderBy\": \"bucket\"}]}";

    @Inject
    DataFrameConfig config;

    @POST
    @Blocking
    @Operation(operationId = "runDataFrame", summary = "Run a DataFrame spec and stream its rows",
            description = "A source (table, sql, range, values, read) and operations applied in order (select, filter,"
                    + " withColumn, groupBy, join, union, orderBy, limit...). Same result formats, limits, errors and"
                    + " cancel-on-disconnect as /v1/sql. Invalid specs get 400 with a JSON Pointer to the offending value.")
    @RequestBody(required = true, content = @Content(mediaType = MediaType.APPLICATION_JSON,
            schema = @Schema(ref = "DataFrameSpec"),
            examples = @ExampleObject(name = "group by", value = SPEC_EXAMPLE)))
    @APIResponse(responseCode = "200", description = "The rows, streamed in the negotiated format (as /v1/sql)",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = JsonResult.class)))
    @APIResponse(responseCode = "400", description = "Invalid spec (with a JSON Pointer) or rejected by Spark",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class),
                    examples = @ExampleObject(name = "unknown join type", value = "{\"type\":\"/problems/invalid-request\","
                            + "\"title\":\"Invalid request\",\"status\":400,\"detail\":\"unknown join type 'sideways'; ...\","
                            + "\"instance\":\"/v1/dataframe\",\"pointer\":\"/ops/3/join/how\"}")))
    @APIResponse(responseCode = "406")
    @APIResponse(responseCode = "504")
    public Response run(@HeaderParam(HttpHeaders.ACCEPT) String accept,
            @Parameter(description = "json, ndjson, csv or arrow; wins over Accept") @QueryParam("format") String format,
            @Parameter(description = "Row limit: at most this many rows, and truncated=true if there were more")
            @QueryParam("limit") Long limit,
            @Context HttpHeaders headers, @Context HttpServerRequest http, @Parameter(hidden = true) InputStream body) {
        return run("/v1/dataframe", accept, format, limit, headers, http, body);
    }

    @POST
    @Path("/plan")
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(operationId = "dataframePlan", summary = "The Spark Connect plan a DataFrame spec becomes, as protobuf JSON",
            description = "Nothing runs. The answer can be sent to POST /v1/plan as it is.")
    @RequestBody(required = true, content = @Content(mediaType = MediaType.APPLICATION_JSON,
            schema = @Schema(ref = "DataFrameSpec"), examples = @ExampleObject(name = "group by", value = SPEC_EXAMPLE)))
    @APIResponse(responseCode = "200", description = "A spark.connect.Plan in canonical protobuf JSON", content = @Content(
            mediaType = MediaType.APPLICATION_JSON, schema = @Schema(ref = "SparkConnectPlan")))
    @APIResponse(responseCode = "400", description = "Invalid spec (with a JSON Pointer)")
    public String plan(@Context HttpHeaders headers, @Parameter(hidden = true) InputStream body) {
        return PlanJson.print(relationOnly(headers, body));
    }

    @Override
    Relation relation(HttpHeaders headers, byte[] body, Principal principal) {
        // A spec holds SQL text and column names only, never code: Spark's analyzer (and its policy) sees all of it.
        JsonNode spec = bodies.json(headers, body, "a DataFrame spec");
        return DataFrameSpecs.toRelation(spec, "", config.limits());
    }
}
