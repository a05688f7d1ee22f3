package dev.sparkgateway.catalog;

import com.fasterxml.jackson.annotation.JsonInclude;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

import java.util.List;

/** The JSON bodies of the catalog listings, one record each so that the OpenAPI document names their fields. */
public final class Listings {

    private Listings() {
    }

    @Schema(name = "CatalogList", requiredProperties = {"catalogs", "current"})
    public record Catalogs(List<CatalogInfo> catalogs, @Schema(description = "The catalog unqualified names resolve in") String current) {
        public Catalogs {
            catalogs = List.copyOf(catalogs);
        }
    }

    @Schema(name = "DatabaseList", requiredProperties = "databases")
    public record Databases(List<DatabaseInfo> databases) {
        public Databases {
            databases = List.copyOf(databases);
        }
    }

    @Schema(name = "TableList", requiredProperties = "tables")
    public record Tables(@Schema(description = "Ordered by name") List<TableInfo> tables,
            @Schema(description = "Pass as pageToken for the next page (with the same like); absent on the last page")
            @JsonInclude(JsonInclude.Include.NON_NULL) String nextPageToken) {
        public Tables {
            tables = List.copyOf(tables);
        }
    }

    @Schema(name = "FunctionList", requiredProperties = "functions")
    public record Functions(@Schema(description = "Ordered by name") List<FunctionInfo> functions,
            @Schema(description = "Pass as pageToken for the next page (with the same like); absent on the last page")
            @JsonInclude(JsonInclude.Include.NON_NULL) String nextPageToken) {
        public Functions {
            functions = List.copyOf(functions);
        }
    }
}
