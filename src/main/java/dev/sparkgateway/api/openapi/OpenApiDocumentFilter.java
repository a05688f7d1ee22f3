package dev.sparkgateway.api.openapi;

import dev.sparkgateway.problem.Problem;
import org.eclipse.microprofile.openapi.OASFactory;
import org.eclipse.microprofile.openapi.OASFilter;
import org.eclipse.microprofile.openapi.models.OpenAPI;
import org.eclipse.microprofile.openapi.models.Operation;
import org.eclipse.microprofile.openapi.models.PathItem;
import org.eclipse.microprofile.openapi.models.media.Schema;
import org.eclipse.microprofile.openapi.models.parameters.Parameter;
import org.eclipse.microprofile.openapi.models.parameters.RequestBody;
import org.eclipse.microprofile.openapi.models.responses.APIResponse;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Finishes the generated document where annotations cannot, or would repeat themselves: a problem
 * response declared with its status alone gets its {@link #PROBLEMS standard} description and the
 * problem+json body; the schema, explain and plan endpoints
 * that {@code RelationResource} shares read their body from an InputStream, which would be documented
 * as a file upload, so they get the body of the POST they extend; those inherited operations get an
 * operationId from their path; every 429 and 503 declares the Retry-After header the problem
 * mapper sets on them; every /v1 operation (and /sql, its alias of /v1/sql) may answer 401 (and a POST
 * 403: the SQL policy), while the problem pages need no credentials; the operations that run in a
 * named session take its {@code X-Session-Id} header and may answer 404 and 410 for it.
 */
public class OpenApiDocumentFilter implements OASFilter {

    /**
     * The problems many operations can answer, described once. An operation declares one with its
     * status alone ({@code @APIResponse(responseCode = "503")}), or with a description of its own.
     */
    private static final Map<String, String> PROBLEMS = Map.of(
            "406", "No acceptable result format",
            "413", "Body too large",
            "415", "Body neither JSON nor text",
            "429", "Over the caller's quota: request rate or queries running at once (Retry-After)",
            "502", "Spark failed internally",
            "503", "Spark unreachable or no free session (Retry-After)",
            "504", "Cancelled or past gateway.query.timeout");

    /** The POSTs that can join a named session (X-Session-Id): all but a DataFrame spec's /plan, which runs nothing. */
    private static final List<String> SESSION_PATHS = List.of("/sql", "/v1/sql", "/v1/dataframe", "/v1/plan", "/v1/statements");

    /** The catalog's GETs read in a named session too: its temp views and current database. */
    private static final String CATALOG_PATH = "/v1/catalogs";

    @Override
    public void filterOpenAPI(OpenAPI openAPI) {
        Map<String, PathItem> paths = openAPI.getPaths() == null ? Map.of() : openAPI.getPaths().getPathItems();
        paths.forEach((path, item) -> {
            Operation post = item.getPOST();
            PathItem parent = paths.get(path.substring(0, path.lastIndexOf('/')));
            if (post != null && parent != null && parent.getPOST() != null && !isJson(post.getRequestBody())
                    && (path.startsWith("/v1/dataframe/") || path.startsWith("/v1/plan/"))) {
                post.setRequestBody(parent.getPOST().getRequestBody());
            }
            if (post != null && joinsSessions(path)) {
                sessionHeader(post);
            }
            if (item.getGET() != null && path.startsWith(CATALOG_PATH)) {
                sessionHeader(item.getGET());
            }
            if (path.equals("/sql") && post != null) {
                // An annotation's extension would land in the responses object.
                post.addExtension("x-alias-of", "/v1/sql");
            }
            item.getOperations().forEach((method, operation) -> {
                if (operation.getOperationId() == null) {
                    operation.setOperationId(operationId(path));
                }
                if (!path.startsWith("/v1/") && !path.equals("/sql")) {
                    // The problem pages are open in every mode (/sql, the alias of /v1/sql, is not).
                    operation.setSecurity(List.of());
                } else if (operation.getResponses() != null) {
                    operation.getResponses().addAPIResponse("401", OASFactory.createAPIResponse().ref("Unauthenticated"));
                    if (method == PathItem.HttpMethod.POST) {
                        operation.getResponses().addAPIResponse("403", OASFactory.createAPIResponse().ref("PolicyDenied"));
                    }
                }
                if (operation.getResponses() != null) {
                    operation.getResponses().getAPIResponses().forEach((status, response) -> {
                        problem(status, response);
                        if (status.equals("429") || status.equals("503")) {
                            retryAfter(response);
                        }
                    });
                }
            });
        });
    }

    static boolean joinsSessions(String path) {
        return !path.equals("/v1/dataframe/plan") && SESSION_PATHS.stream().anyMatch(p -> path.equals(p)
                || (path.startsWith(p + "/") && !path.startsWith("/v1/statements/")));
    }

    /** The X-Session-Id header, and the 404 and 410 a named session can answer. */
    private static void sessionHeader(Operation operation) {
        operation.addParameter(OASFactory.createParameter().name("X-Session-Id").in(Parameter.In.HEADER)
                .description("Run in this named session (POST /v1/sessions); absent: a stateless request")
                .schema(OASFactory.createSchema().addType(Schema.SchemaType.STRING)));
        if (operation.getResponses() != null) {
            if (!operation.getResponses().hasAPIResponse("404")) {
                operation.getResponses().addAPIResponse("404", OASFactory.createAPIResponse()
                        .description("X-Session-Id names no session of the caller's (unknown, deleted, expired, another's)"));
            }
            operation.getResponses().addAPIResponse("410", OASFactory.createAPIResponse()
                    .description("The Spark server lost the named session (restart): create a new one"));
        }
    }

    private static boolean isJson(RequestBody body) {
        return body != null && body.getContent() != null && body.getContent().hasMediaType("application/json")
                && body.getContent().getMediaType("application/json").getSchema() != null;
    }

    /** "/v1/dataframe/schema" becomes "dataframeSchema". */
    static String operationId(String path) {
        String[] words = Arrays.stream(path.split("/")).filter(w -> !w.isEmpty() && !w.equals("v1") && !w.startsWith("{"))
                .toArray(String[]::new);
        return words[0].toLowerCase(Locale.ROOT) + Arrays.stream(words).skip(1)
                .map(w -> Character.toUpperCase(w.charAt(0)) + w.substring(1)).collect(Collectors.joining());
    }

    /** Completes a problem response declared with its status alone (no body, no reference). */
    private static void problem(String status, APIResponse response) {
        if (response.getRef() != null || response.getContent() != null || status.charAt(0) < '4') {
            return;
        }
        if (response.getDescription() == null || response.getDescription().isEmpty()) {
            String description = PROBLEMS.get(status);
            if (description == null) {
                throw new IllegalStateException("no standard description for a " + status + " problem: declare one");
            }
            response.setDescription(description);
        }
        response.setContent(OASFactory.createContent().addMediaType(Problem.MEDIA_TYPE,
                OASFactory.createMediaType().schema(OASFactory.createSchema().ref("Problem"))));
    }

    private static void retryAfter(APIResponse response) {
        if (response.getHeaders() == null || !response.getHeaders().containsKey("Retry-After")) {
            response.addHeader("Retry-After", OASFactory.createHeader().ref("Retry-After"));
        }
    }
}
