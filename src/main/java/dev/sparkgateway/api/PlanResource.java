package dev.sparkgateway.api;

import dev.sparkgateway.error.InvalidRequestException;
import com.fasterxml.jackson.databind.JsonNode;
import dev.sparkgateway.auth.Principal;
import dev.sparkgateway.plan.PlanJson;
import io.smallrye.common.annotation.Blocking;
import io.vertx.core.http.HttpServerRequest;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
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

/**
 * {@code POST /v1/plan}: the expert door. A raw Spark Connect {@code Plan} (or {@code Relation})
 * in canonical protobuf JSON, for clients that already build Spark Connect plans.
 */
@Path("/v1/plan")
@APIResponse(responseCode = "413")
@APIResponse(responseCode = "415", description = "Body not JSON")
@APIResponse(responseCode = "429")
@APIResponse(responseCode = "502")
@APIResponse(responseCode = "503")
@Tag(name = "Plan", description = "Raw Spark Connect plans (protobuf JSON)")
public class PlanResource extends RelationResource {

    private static final String EXAMPLE = "{\"root\": {\"range\": {\"end\": \"5\", \"step\": \"1\"}}}";

    @POST
    @Blocking
    @Operation(operationId = "runPlan", summary = "Run a raw Spark Connect plan and stream its rows",
            description = "The body is a spark.connect.Plan with a root relation ({\"root\": {...}}) or a bare"
                    + " spark.connect.Relation, in canonical protobuf JSON (proto field names in lowerCamelCase, int64 as"
                    + " strings). Commands are not accepted here: send them as SQL to /v1/sql. POST /v1/dataframe/plan"
                    + " shows the plan any DataFrame spec becomes.")
    @RequestBody(required = true, content = @Content(mediaType = MediaType.APPLICATION_JSON,
            schema = @Schema(ref = "SparkConnectPlan"),
            examples = @ExampleObject(name = "range", value = EXAMPLE)))
    @APIResponse(responseCode = "200", description = "The rows, streamed in the negotiated format (as /v1/sql)",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = JsonResult.class)))
    @APIResponse(responseCode = "400", description = "Not a valid plan, a command plan, or rejected by Spark")
    @APIResponse(responseCode = "406")
    @APIResponse(responseCode = "504")
    public Response run(@HeaderParam(HttpHeaders.ACCEPT) String accept,
            @Parameter(description = "json, ndjson, csv or arrow; wins over Accept") @QueryParam("format") String format,
            @Parameter(description = "Row limit") @QueryParam("limit") Long limit,
            @Context HttpHeaders headers, @Context HttpServerRequest http, @Parameter(hidden = true) InputStream body) {
        return run("/v1/plan", accept, format, limit, headers, http, body);
    }

    @Override
    Relation relation(HttpHeaders headers, byte[] bytes, Principal principal) {
        JsonNode json = bodies.json(headers, bytes, "a Spark Connect plan");
        if (!json.isObject()) {
            throw new InvalidRequestException("expected a spark.connect.Plan or Relation object", "");
        }
        return PlanJson.parse(RequestBodies.text(bytes), json.has("root") || json.has("command"));
    }
}
