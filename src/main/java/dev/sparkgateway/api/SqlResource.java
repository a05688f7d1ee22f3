package dev.sparkgateway.api;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sparkgateway.api.problem.ProblemType;
import dev.sparkgateway.api.problem.RequestException;
import dev.sparkgateway.query.QueryResult;
import dev.sparkgateway.query.QueryService;
import dev.sparkgateway.result.ResultEncoder;
import io.smallrye.common.annotation.Blocking;
import io.vertx.core.http.HttpServerResponse;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;

import java.io.InputStream;
import java.util.OptionalLong;

/** {@code POST /v1/sql}: one statement in, its rows streamed out in the negotiated format. */
@Path("/v1/sql")
public class SqlResource {

    private final QueryService queries;
    private final ResultResponses responses;
    private final RequestBodies bodies;

    public SqlResource(QueryService queries, ResultResponses responses, RequestBodies bodies) {
        this.queries = queries;
        this.responses = responses;
        this.bodies = bodies;
    }

    @POST
    @Blocking
    public Response execute(@HeaderParam(HttpHeaders.ACCEPT) String accept, @QueryParam("format") String format,
            @QueryParam("limit") Long limitParam, @Context HttpHeaders headers, @Context HttpServerResponse http,
            InputStream body) {
        ResultEncoder encoder = responses.encoder(accept, format);
        SqlRequest request = request(headers, bodies.read(body), limitParam);
        QueryResult result = queries.sql(request.sql(), request.parameters(), limit(request.limit()),
                responses.cancelOnDisconnect(http));
        return responses.stream(result, encoder);
    }

    private SqlRequest request(HttpHeaders headers, byte[] body, Long limitParam) {
        if (bodies.isJson(headers.getMediaType(), body)) {
            SqlRequest request = bodies.parse(body, SqlRequest.class);
            if (request.sql() == null) {
                throw new RequestException(ProblemType.INVALID_REQUEST, "missing field 'sql'", "/sql");
            }
            if (request.limit() != null && limitParam != null && !request.limit().equals(limitParam)) {
                throw new RequestException(ProblemType.INVALID_REQUEST, "limit given twice with different values", "/limit");
            }
            return request.limit() == null && limitParam != null
                    ? new SqlRequest(request.sql(), request.parameters(), limitParam) : request;
        }
        return new SqlRequest(RequestBodies.text(body), (JsonNode) null, limitParam);
    }

    private static OptionalLong limit(Long limit) {
        if (limit == null) {
            return OptionalLong.empty();
        }
        if (limit < 0) {
            throw new RequestException(ProblemType.INVALID_REQUEST, "limit must be 0 or more, got " + limit, "/limit");
        }
        return OptionalLong.of(limit);
    }
}
