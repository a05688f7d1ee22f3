package dev.sparkgateway.catalog;

import dev.sparkgateway.connect.ExecuteOptions;
import dev.sparkgateway.connect.Execution;
import dev.sparkgateway.connect.SparkConnectClient;
import dev.sparkgateway.error.NotFoundException;
import dev.sparkgateway.error.SparkException;
import dev.sparkgateway.session.SessionLease;
import dev.sparkgateway.session.SessionLeases;
import dev.sparkgateway.session.SessionScope;
import dev.sparkgateway.types.SparkType;
import jakarta.enterprise.context.ApplicationScoped;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.spark.connect.proto.Catalog;
import org.apache.spark.connect.proto.CurrentCatalog;
import org.apache.spark.connect.proto.DatabaseExists;
import org.apache.spark.connect.proto.ExecutePlanResponse;
import org.apache.spark.connect.proto.GetTable;
import org.apache.spark.connect.proto.ListCatalogs;
import org.apache.spark.connect.proto.ListColumns;
import org.apache.spark.connect.proto.ListDatabases;
import org.apache.spark.connect.proto.ListFunctions;
import org.apache.spark.connect.proto.ListTables;
import org.apache.spark.connect.proto.Plan;
import org.apache.spark.connect.proto.Relation;
import org.apache.spark.connect.proto.SQL;
import org.apache.spark.connect.proto.SetCurrentCatalog;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;

/**
 * Catalogs, databases, tables, columns and functions, read with Spark Connect's Catalog relations
 * (what {@code spark.catalog.listTables()} sends), never by parsing {@code SHOW} output. Names
 * given to Spark are quoted part by part ({@link Names}), so dots, backticks and any letters work.
 *
 * <p>Restricted principals: the SQL policy lets them read every catalog table and view, and run
 * {@code SHOW TABLES}/{@code DESCRIBE} themselves, so listing names, columns and comments shows
 * them nothing they could not already query. Their sessions are restricted as for SQL (the
 * relations run on them, and Spark's Catalog analyses its own SHOW plans there, where the policy
 * rule sees them). Only where files are (a database's location) is left out for them: the policy
 * keeps paths from them, and a path says things about the Spark host a restricted caller should
 * not learn. The relations used here read only, except {@code SetCurrentCatalog}, which only ever
 * runs on a stateless session that is dropped afterwards; the one SQL sent is a table's
 * {@code DESCRIBE ... AS JSON} (its provider and location, which the relations lack).
 *
 * <p>Just over 300 lines on purpose: the five look-ups share one way to run a relation, one
 * mapping of Spark's "not found" classes to 404s and one lease per request; quoting, rows, pages
 * and storage are in {@link Names}, {@link CatalogRows}, {@link PageRequest} and {@link TableStorage}.
 */
@ApplicationScoped
public class CatalogService {

    /** Spark's own session catalog, which always exists. */
    static final String SESSION_CATALOG = "spark_catalog";

    private static final Set<String> MISSING_CATALOG = Set.of("CATALOG_NOT_FOUND");
    private static final Set<String> MISSING_DATABASE = Set.of("SCHEMA_NOT_FOUND", "NO_SUCH_NAMESPACE",
            "REQUIRES_SINGLE_PART_NAMESPACE");
    private static final Set<String> MISSING_TABLE = Set.of("TABLE_OR_VIEW_NOT_FOUND");

    private final SessionLeases leases;
    private final SparkConnectClient client;
    private final BufferAllocator allocator;

    public CatalogService(SessionLeases leases, SparkConnectClient client, BufferAllocator allocator) {
        this.leases = leases;
        this.client = client;
        this.allocator = allocator;
    }

    /** A stateless session of the caller's Spark user, for look-ups that must not touch a named session's state. */
    private SessionLease stateless(SessionScope scope) {
        return leases.lease(SessionScope.stateless(scope.principal(), scope.user()));
    }

    public Listings.Catalogs catalogs(SessionScope scope, Optional<String> like) {
        try (SessionLease lease = leases.lease(scope)) {
            List<CatalogInfo> catalogs = listCatalogs(lease, like);
            String current = rows(lease, Catalog.newBuilder().setCurrentCatalog(CurrentCatalog.getDefaultInstance()))
                    .get(0).string("value");
            return new Listings.Catalogs(catalogs, current);
        }
    }

    /**
     * The databases of {@code catalog}. Spark's ListDatabases lists the current catalog's only, so
     * for another catalog the session makes it current first, and is then not used again.
     */
    public Listings.Databases databases(SessionScope scope, String catalog, Optional<String> like) {
        // Databases do not depend on a session's state, and a session of the caller's must keep its current catalog;
        // a session named that cannot be joined still answers as everywhere else (404, 410).
        leases.check(scope);
        try (SessionLease lease = stateless(scope)) {
            String current = rows(lease, Catalog.newBuilder().setCurrentCatalog(CurrentCatalog.getDefaultInstance()))
                    .get(0).string("value");
            if (!current.equals(catalog)) {
                lease.markDirty();
                missing(() -> rows(lease, Catalog.newBuilder().setSetCurrentCatalog(
                        SetCurrentCatalog.newBuilder().setCatalogName(catalog))), MISSING_CATALOG, noCatalog(catalog));
            }
            ListDatabases.Builder list = ListDatabases.newBuilder();
            like.ifPresent(list::setPattern);
            boolean locations = !scope.user().restricted();
            List<DatabaseInfo> databases = rows(lease, Catalog.newBuilder().setListDatabases(list)).stream()
                    .map(row -> new DatabaseInfo(databaseName(row.string("name")), row.string("catalog"),
                            row.string("description"), locations ? row.string("locationUri") : null))
                    .sorted(Comparator.comparing(DatabaseInfo::name))
                    .toList();
            return new Listings.Databases(databases);
        }
    }

    /** The tables and views of a database, including the session's temporary views, a page at a time. */
    public PageRequest.Page<TableInfo> tables(SessionScope scope, String catalog, String database,
            Optional<String> like, PageRequest page) {
        requireCatalog(scope, catalog);
        try (SessionLease lease = leases.lease(scope)) {
            ListTables.Builder list = ListTables.newBuilder().setDbName(Names.qualified(catalog, database));
            like.ifPresent(list::setPattern);
            List<TableInfo> tables = missing(() -> rows(lease, Catalog.newBuilder().setListTables(list)),
                    MISSING_DATABASE, noDatabase(catalog, database)).stream().map(CatalogService::table).toList();
            return page.cut(tables, t -> t.name() + '\0' + (t.isTemporary() ? '0' : '1'));
        }
    }

    /**
     * One table or view with its columns. A name that is no table of the database is looked up
     * once more unqualified, where the session's temporary views are (which belong to no catalog
     * and show up in every database's listing).
     */
    public TableDetail table(SessionScope scope, String catalog, String database, String table) {
        requireCatalog(scope, catalog);
        try (SessionLease lease = leases.lease(scope)) {
            requireDatabase(lease, catalog, database);
            // The session catalog's GetTable takes database and table apart, as they are (also global_temp's views).
            GetTable.Builder get = catalog.equals(SESSION_CATALOG)
                    ? GetTable.newBuilder().setDbName(database).setTableName(table)
                    : GetTable.newBuilder().setTableName(Names.qualified(catalog, database, table));
            Optional<TableInfo> found = find(lease, get);
            if (found.isEmpty() && catalog.equals(SESSION_CATALOG)) {
                found = find(lease, GetTable.newBuilder().setTableName(Names.quote(table)))
                        .filter(t -> t.isTemporary() && t.namespace().isEmpty());
            }
            TableInfo info = found.orElseThrow(noTable(catalog, database, table));
            List<String> parts = new ArrayList<>(info.namespace());
            parts.add(info.name());
            if (!info.isTemporary()) {
                parts.add(0, info.catalog());
            }
            String name = Names.qualified(parts.toArray(String[]::new));
            ListColumns.Builder columnsOf = ListColumns.newBuilder().setTableName(name);
            List<ColumnInfo> columns = missing(() -> rows(lease, Catalog.newBuilder().setListColumns(columnsOf)),
                    MISSING_TABLE, noTable(catalog, database, table)).stream().map(CatalogService::column).toList();
            return TableDetail.of(info, storage(lease, info, name, !scope.user().restricted()), columns);
        }
    }

    /** The functions a database's listing shows (built-in and temporary ones too), a page at a time. */
    public PageRequest.Page<FunctionInfo> functions(SessionScope scope, String catalog, String database,
            Optional<String> like, PageRequest page) {
        requireCatalog(scope, catalog);
        try (SessionLease lease = leases.lease(scope)) {
            ListFunctions.Builder list = ListFunctions.newBuilder().setDbName(Names.qualified(catalog, database));
            like.ifPresent(list::setPattern);
            List<FunctionInfo> functions = missing(() -> rows(lease, Catalog.newBuilder().setListFunctions(list)),
                    MISSING_DATABASE, noDatabase(catalog, database)).stream()
                    .map(row -> new FunctionInfo(row.string("name"), row.string("catalog"),
                            row.values().get("namespace") == null ? null : row.strings("namespace"),
                            row.string("description"), row.string("className"), row.flag("isTemporary")))
                    .toList();
            return page.cut(functions, f -> f.name() + '\0' + (f.isTemporary() ? '0' : '1'));
        }
    }

    /**
     * Provider and location of a table in the catalog, for views neither. A catalog whose tables
     * Spark cannot describe as JSON (some v2 catalogs) answers without them rather than failing.
     */
    private TableStorage storage(SessionLease lease, TableInfo info, String name, boolean withLocation) {
        if (info.isTemporary() || "VIEW".equals(info.tableType())) {
            return TableStorage.NONE;
        }
        Relation describe = Relation.newBuilder().setSql(SQL.newBuilder().setQuery(TableStorage.describe(name))).build();
        try {
            List<CatalogRows.Row> rows = rows(lease, Plan.newBuilder().setRoot(describe).build());
            return rows.isEmpty() ? TableStorage.NONE : TableStorage.parse(rows.get(0).string("json_metadata"), withLocation);
        } catch (SparkException e) {
            if (e.errorClass().isPresent() && !e.isStaleSession()) {
                return TableStorage.NONE;
            }
            throw e;
        }
    }

    private List<CatalogInfo> listCatalogs(SessionLease lease, Optional<String> like) {
        ListCatalogs.Builder list = ListCatalogs.newBuilder();
        like.ifPresent(list::setPattern);
        return rows(lease, Catalog.newBuilder().setListCatalogs(list)).stream()
                .map(row -> new CatalogInfo(row.string("name"), row.string("description")))
                .sorted(Comparator.comparing(CatalogInfo::name))
                .toList();
    }

    /**
     * 404 unless {@code catalog} exists. ListCatalogs names the catalogs loaded so far; a configured
     * one that no query used yet is loaded by making it current, on a session dropped afterwards.
     */
    private void requireCatalog(SessionScope scope, String catalog) {
        if (catalog.equals(SESSION_CATALOG)) {
            return;
        }
        try (SessionLease lease = stateless(scope)) {
            if (listCatalogs(lease, Optional.empty()).stream().anyMatch(c -> c.name().equals(catalog))) {
                return;
            }
            lease.markDirty();
            missing(() -> rows(lease, Catalog.newBuilder().setSetCurrentCatalog(
                    SetCurrentCatalog.newBuilder().setCatalogName(catalog))), MISSING_CATALOG, noCatalog(catalog));
        }
    }

    /**
     * 404 unless the database exists: GetTable's answer for a missing table does not tell which
     * part was missing. DatabaseExists does not know the global temporary views' database
     * ({@code global_temp}), but listing it works.
     */
    private void requireDatabase(SessionLease lease, String catalog, String database) {
        boolean exists = rows(lease, Catalog.newBuilder().setDatabaseExists(DatabaseExists.newBuilder()
                .setDbName(Names.qualified(catalog, database)))).get(0).flag("value");
        if (!exists) {
            missing(() -> rows(lease, Catalog.newBuilder().setListTables(ListTables.newBuilder()
                    .setDbName(Names.qualified(catalog, database)))), MISSING_DATABASE, noDatabase(catalog, database));
        }
    }

    private Optional<TableInfo> find(SessionLease lease, GetTable.Builder get) {
        try {
            List<CatalogRows.Row> rows = rows(lease, Catalog.newBuilder().setGetTable(get));
            return rows.stream().findFirst().map(CatalogService::table);
        } catch (SparkException e) {
            if (e.errorClass().filter(MISSING_TABLE::contains).isPresent()) {
                return Optional.empty();
            }
            throw e;
        }
    }

    private static TableInfo table(CatalogRows.Row row) {
        return new TableInfo(row.string("name"), row.string("catalog"), row.strings("namespace"), row.string("description"),
                row.string("tableType"), row.flag("isTemporary"));
    }

    /** Spark names a column's type by its simpleString; the gateway names it as its result schemas do. */
    private static ColumnInfo column(CatalogRows.Row row) {
        String type = row.string("dataType");
        try {
            type = SparkType.parse(type).name();
        } catch (RuntimeException e) {
            // A type the gateway's parser does not know stays as Spark wrote it.
        }
        return new ColumnInfo(row.string("name"), type, row.flag("nullable"), row.string("description"),
                row.flag("isPartition"), row.flag("isBucket"), row.flag("isCluster"));
    }

    /** A database as Spark names it in ListDatabases (quoted where needed), as its single unquoted part. */
    private static String databaseName(String name) {
        return Names.parse(name).filter(parts -> parts.size() == 1).map(parts -> parts.get(0)).orElse(name);
    }

    /** Runs a Catalog relation as a root plan and reads its rows. */
    private List<CatalogRows.Row> rows(SessionLease lease, Catalog.Builder catalog) {
        return rows(lease, Plan.newBuilder().setRoot(Relation.newBuilder().setCatalog(catalog)).build());
    }

    private List<CatalogRows.Row> rows(SessionLease lease, Plan plan) {
        return lease.retryIfStale(() -> {
            List<CatalogRows.Row> rows = new ArrayList<>();
            try (Execution execution = client.execute(lease.session(), plan, ExecuteOptions.fresh())) {
                ExecutePlanResponse response;
                while ((response = execution.next()) != null) {
                    if (response.hasArrowBatch()) {
                        CatalogRows.read(response.getArrowBatch().getData(), allocator, rows);
                    }
                }
            }
            return rows;
        });
    }

    /** {@code call}, with Spark's error of one of {@code classes} turned into {@code notFound}. */
    private static <T> T missing(Supplier<T> call, Set<String> classes, Supplier<NotFoundException> notFound) {
        try {
            return call.get();
        } catch (SparkException e) {
            if (e.errorClass().filter(classes::contains).isPresent()) {
                throw notFound.get();
            }
            throw e;
        }
    }

    private static Supplier<NotFoundException> noCatalog(String catalog) {
        return () -> new NotFoundException("No catalog '" + catalog + "'; GET /v1/catalogs lists them");
    }

    private static Supplier<NotFoundException> noDatabase(String catalog, String database) {
        return () -> new NotFoundException("No database '" + database + "' in catalog '" + catalog + "'");
    }

    private static Supplier<NotFoundException> noTable(String catalog, String database, String table) {
        return () -> new NotFoundException("No table or view '" + table + "' in database '" + database + "' of catalog '"
                + catalog + "'");
    }
}
