package dev.sparkgateway.api;

import dev.sparkgateway.auth.CurrentPrincipal;
import dev.sparkgateway.catalog.CatalogService;
import dev.sparkgateway.catalog.Listings;
import dev.sparkgateway.catalog.PageRequest;
import dev.sparkgateway.catalog.FunctionInfo;
import dev.sparkgateway.catalog.TableDetail;
import dev.sparkgateway.catalog.TableInfo;
import dev.sparkgateway.session.SessionScope;
import io.smallrye.common.annotation.Blocking;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.ExampleObject;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import java.util.Optional;

/**
 * {@code /v1/catalogs/...}: what catalogs, databases, tables, columns and functions exist, read
 * through Spark Connect's Catalog relations (docs/catalog.md). Path segments are plain names
 * (percent-encoded in the URL), never SQL: {@code we.ird} is one database whose name has a dot.
 */
@Path("/v1/catalogs")
@Produces(MediaType.APPLICATION_JSON)
@APIResponse(responseCode = "429")
@APIResponse(responseCode = "502")
@APIResponse(responseCode = "503")
@Tag(name = "Catalog", description = "Catalogs, databases, tables, columns and functions")
public class CatalogResource {

    private static final String LIKE = "Spark's SHOW ... LIKE pattern: * matches any characters, | separates"
            + " alternatives, case-insensitive (e.g. sales_*|tmp_*)";

    private final CatalogService catalogs;
    private final CurrentPrincipal caller;

    public CatalogResource(CatalogService catalogs, CurrentPrincipal caller) {
        this.catalogs = catalogs;
        this.caller = caller;
    }

    @GET
    @Blocking
    @Operation(operationId = "listCatalogs", summary = "The catalogs Spark knows, and the current one")
    @APIResponse(responseCode = "200", content = @Content(schema = @Schema(implementation = Listings.Catalogs.class),
            examples = @ExampleObject(name = "session catalog only",
                    value = "{\"catalogs\":[{\"name\":\"spark_catalog\"}],\"current\":\"spark_catalog\"}")))
    @APIResponse(responseCode = "400", description = "Invalid X-Session-Id")
    public Listings.Catalogs catalogs(@Parameter(description = LIKE) @QueryParam("like") String like,
            @Context HttpHeaders headers) {
        return catalogs.catalogs(scope(headers), like(like));
    }

    @GET
    @Path("{catalog}/databases")
    @Blocking
    @Operation(operationId = "listDatabases", summary = "The databases (namespaces) of a catalog, by name",
            description = "locationUri only for principals the SQL policy does not restrict.")
    @APIResponse(responseCode = "200", content = @Content(schema = @Schema(implementation = Listings.Databases.class),
            examples = @ExampleObject(name = "default database", value = "{\"databases\":[{\"name\":\"default\","
                    + "\"catalog\":\"spark_catalog\",\"description\":\"default database\","
                    + "\"locationUri\":\"file:/data/warehouse\"}]}")))
    @APIResponse(responseCode = "400", description = "Invalid X-Session-Id")
    @APIResponse(responseCode = "404", description = "No such catalog")
    public Listings.Databases databases(@PathParam("catalog") String catalog,
            @Parameter(description = LIKE) @QueryParam("like") String like,
            @Context HttpHeaders headers) {
        return catalogs.databases(scope(headers), catalog, like(like));
    }

    @GET
    @Path("{catalog}/databases/{database}/tables")
    @Blocking
    @Operation(operationId = "listTables", summary = "The tables and views of a database, by name, paged",
            description = "Temporary views (no catalog, empty namespace) are listed in every database of spark_catalog,"
                    + " as Spark's Catalog lists them; global temporary views in database global_temp. Pages are cut by"
                    + " name: pass nextPageToken as pageToken (with the same like) until it is absent. A table created"
                    + " or dropped meanwhile never makes another one appear twice or go missing.")
    @APIResponse(responseCode = "200", content = @Content(schema = @Schema(implementation = Listings.Tables.class),
            examples = @ExampleObject(name = "one page", value = "{\"tables\":[{\"name\":\"sales\",\"catalog\":"
                    + "\"spark_catalog\",\"namespace\":[\"default\"],\"tableType\":\"MANAGED\","
                    + "\"isTemporary\":false}],\"nextPageToken\":\"azpzYWxlcwAx\"}")))
    @APIResponse(responseCode = "400", description = "limit outside 1-" + PageRequest.MAX_LIMIT + ", a page token this"
            + " gateway did not issue, or an invalid X-Session-Id")
    @APIResponse(responseCode = "404", description = "No such catalog or database")
    public Listings.Tables tables(@PathParam("catalog") String catalog, @PathParam("database") String database,
            @Parameter(description = LIKE) @QueryParam("like") String like,
            @Parameter(description = "Page size, 1-" + PageRequest.MAX_LIMIT + " (default " + PageRequest.DEFAULT_LIMIT + ")")
            @QueryParam("limit") String limit,
            @Parameter(description = "nextPageToken of the page before") @QueryParam("pageToken") String pageToken,
            @Context HttpHeaders headers) {
        PageRequest page = PageRequest.of(limit, pageToken);
        PageRequest.Page<TableInfo> tables = catalogs.tables(scope(headers), catalog,
                database, like(like), page);
        return new Listings.Tables(tables.entries(), tables.nextPageToken().orElse(null));
    }

    @GET
    @Path("{catalog}/databases/{database}/tables/{table}")
    @Blocking
    @Operation(operationId = "getTable", summary = "A table or view and its columns",
            description = "Column types are named as in /v1/sql result schemas. A temporary view of the session is found"
                    + " under any database of spark_catalog, as it is listed there.")
    @APIResponse(responseCode = "200", content = @Content(schema = @Schema(implementation = TableDetail.class),
            examples = @ExampleObject(name = "partitioned table", value = "{\"name\":\"sales\",\"catalog\":\"spark_catalog\","
                    + "\"namespace\":[\"default\"],\"tableType\":\"MANAGED\",\"isTemporary\":false,"
                    + "\"provider\":\"parquet\",\"location\":\"file:/data/warehouse/sales\","
                    + "\"columns\":[{\"name\":\"amount\",\"type\":\"decimal(10,2)\",\"nullable\":true,\"comment\":\"in EUR\","
                    + "\"isPartition\":false,\"isBucket\":false,\"isCluster\":false},{\"name\":\"day\",\"type\":\"date\","
                    + "\"nullable\":true,\"isPartition\":true,\"isBucket\":false,\"isCluster\":false}]}")))
    @APIResponse(responseCode = "400", description = "Invalid X-Session-Id")
    @APIResponse(responseCode = "404", description = "No such catalog, database or table")
    public TableDetail table(@PathParam("catalog") String catalog, @PathParam("database") String database,
            @PathParam("table") String table, @Context HttpHeaders headers) {
        return catalogs.table(scope(headers), catalog, database, table);
    }

    @GET
    @Path("{catalog}/databases/{database}/functions")
    @Blocking
    @Operation(operationId = "listFunctions", summary = "The functions a database sees, by name, paged",
            description = "As Spark's Catalog lists them: the database's own functions, and the built-in and temporary"
                    + " ones (isTemporary, no catalog). Paged like the tables.")
    @APIResponse(responseCode = "200", content = @Content(schema = @Schema(implementation = Listings.Functions.class)))
    @APIResponse(responseCode = "400", description = "limit outside 1-" + PageRequest.MAX_LIMIT + ", a page token this"
            + " gateway did not issue, or an invalid X-Session-Id")
    @APIResponse(responseCode = "404", description = "No such catalog or database")
    public Listings.Functions functions(@PathParam("catalog") String catalog, @PathParam("database") String database,
            @Parameter(description = LIKE) @QueryParam("like") String like,
            @Parameter(description = "Page size, 1-" + PageRequest.MAX_LIMIT + " (default " + PageRequest.DEFAULT_LIMIT + ")")
            @QueryParam("limit") String limit,
            @Parameter(description = "nextPageToken of the page before") @QueryParam("pageToken") String pageToken,
            @Context HttpHeaders headers) {
        PageRequest page = PageRequest.of(limit, pageToken);
        PageRequest.Page<FunctionInfo> functions = catalogs.functions(scope(headers),
                catalog, database, like(like), page);
        return new Listings.Functions(functions.entries(), functions.nextPageToken().orElse(null));
    }

    /** The caller's named session (X-Session-Id, documented by the OpenAPI filter) or a stateless one. */
    private SessionScope scope(HttpHeaders headers) {
        return SessionHeader.scope(caller.get(), headers);
    }

    private static Optional<String> like(String like) {
        return Optional.ofNullable(like).filter(l -> !l.isEmpty());
    }
}
