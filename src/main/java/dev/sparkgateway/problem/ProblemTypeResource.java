package dev.sparkgateway.problem;

import dev.sparkgateway.error.NotFoundException;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import java.util.Arrays;
import java.util.List;

/**
 * Makes every problem {@code type} URI resolve (RFC 9457 §3.1.1): a short page saying what the
 * problem means and what to do, as JSON by default or as HTML for a browser.
 */
@Path("/problems")
@Tag(name = "Problems", description = "Documentation of every problem type an error response names")
public class ProblemTypeResource {

    /** One problem type, as {@code GET /problems/{name}} answers it. */
    @Schema(name = "ProblemTypeDoc", requiredProperties = {"type", "title", "status", "when", "whatToDo"})
    public record ProblemTypeDoc(String type, String title, int status, String when, String whatToDo) {

        static ProblemTypeDoc of(ProblemType type) {
            return new ProblemTypeDoc(type.uri(), type.title(), type.status(), type.when(), type.whatToDo());
        }
    }

    @GET
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(operationId = "listProblemTypes", summary = "Every problem type the gateway reports")
    @APIResponse(responseCode = "200", description = "All problem types", content = @Content(mediaType = MediaType.APPLICATION_JSON,
            schema = @Schema(type = SchemaType.ARRAY, implementation = ProblemTypeDoc.class)))
    @APIResponse(responseCode = "406", description = "Accept excludes application/json", content = @Content(
            mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public List<ProblemTypeDoc> all() {
        return Arrays.stream(ProblemType.values()).map(ProblemTypeDoc::of).toList();
    }

    @GET
    @Path("{name}")
    @Produces({MediaType.APPLICATION_JSON, MediaType.TEXT_HTML})
    @Operation(operationId = "getProblemType", summary = "What one problem type means and what to do about it",
            description = "JSON by default; HTML when the client prefers text/html (a browser following a type URI).")
    @APIResponse(responseCode = "200", description = "The problem type", content = {
            @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = ProblemTypeDoc.class)),
            @Content(mediaType = MediaType.TEXT_HTML, schema = @Schema(type = SchemaType.STRING))})
    @APIResponse(responseCode = "404", description = "No such problem type", content = @Content(
            mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public Response one(@PathParam("name") String name, HttpHeaders headers) {
        ProblemType type = Arrays.stream(ProblemType.values()).filter(t -> t.slug().equals(name)).findFirst()
                .orElseThrow(() -> new NotFoundException("No problem type '" + name + "'; GET /problems lists them all"));
        ProblemTypeDoc doc = ProblemTypeDoc.of(type);
        if (prefersHtml(headers.getAcceptableMediaTypes())) {
            return Response.ok(ProblemTypePage.html(doc), MediaType.TEXT_HTML_TYPE.withCharset("UTF-8")).build();
        }
        return Response.ok(doc, MediaType.APPLICATION_JSON_TYPE).build();
    }

    /** Accept is sorted by preference; the first type either form satisfies decides (so {@code *}/{@code *} is JSON). */
    private static boolean prefersHtml(List<MediaType> accepted) {
        for (MediaType media : accepted) {
            if (media.isCompatible(MediaType.APPLICATION_JSON_TYPE)) {
                return false;
            }
            if (media.isCompatible(MediaType.TEXT_HTML_TYPE)) {
                return true;
            }
        }
        return false;
    }
}
