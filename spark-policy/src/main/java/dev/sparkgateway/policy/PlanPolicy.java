package dev.sparkgateway.policy;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.catalyst.TableIdentifier;
import org.apache.spark.sql.catalyst.catalog.CatalogStorageFormat;
import org.apache.spark.sql.catalyst.catalog.CatalogTable;
import org.apache.spark.sql.catalyst.expressions.CallMethodViaReflection;
import org.apache.spark.sql.catalyst.expressions.Expression;
import org.apache.spark.sql.catalyst.expressions.SubqueryExpression;
import org.apache.spark.sql.catalyst.expressions.TryReflect;
import org.apache.spark.sql.catalyst.plans.QueryPlan;
import org.apache.spark.sql.catalyst.plans.logical.CreateFunction;
import org.apache.spark.sql.catalyst.plans.logical.CreateNamespace;
import org.apache.spark.sql.catalyst.plans.logical.CreateTableAsSelect;
import org.apache.spark.sql.catalyst.plans.logical.InsertIntoDir;
import org.apache.spark.sql.catalyst.plans.logical.LogicalPlan;
import org.apache.spark.sql.catalyst.plans.logical.ReplaceTable;
import org.apache.spark.sql.catalyst.plans.logical.ReplaceTableAsSelect;
import org.apache.spark.sql.catalyst.plans.logical.ScriptTransformation;
import org.apache.spark.sql.catalyst.plans.logical.TableSpecBase;
import org.apache.spark.sql.execution.command.AddArchivesCommand;
import org.apache.spark.sql.execution.command.AddFilesCommand;
import org.apache.spark.sql.execution.command.AddJarsCommand;
import org.apache.spark.sql.execution.command.AlterTableAddPartitionCommand;
import org.apache.spark.sql.execution.command.AlterTableSerDePropertiesCommand;
import org.apache.spark.sql.execution.command.AlterTableSetLocationCommand;
import org.apache.spark.sql.execution.command.CreateDataSourceTableAsSelectCommand;
import org.apache.spark.sql.execution.command.CreateDataSourceTableCommand;
import org.apache.spark.sql.execution.command.CreateFunctionCommand;
import org.apache.spark.sql.execution.command.CreateTableLikeCommand;
import org.apache.spark.sql.execution.command.InsertIntoDataSourceDirCommand;
import org.apache.spark.sql.execution.command.LoadDataCommand;
import org.apache.spark.sql.execution.command.ResetCommand;
import org.apache.spark.sql.execution.command.SetCommand;
import org.apache.spark.sql.execution.datasources.CreateTable;
import org.apache.spark.sql.execution.datasources.CreateTempViewUsing;
import org.apache.spark.sql.execution.datasources.HadoopFsRelation;
import org.apache.spark.sql.execution.datasources.InsertIntoHadoopFsRelationCommand;
import org.apache.spark.sql.execution.datasources.LogicalRelation;
import org.apache.spark.sql.execution.datasources.SaveIntoDataSourceCommand;
import org.apache.spark.sql.execution.datasources.jdbc.JDBCRelation;
import org.apache.spark.sql.execution.datasources.v2.DataSourceV2Relation;
import org.apache.spark.sql.execution.datasources.v2.FileTable;
import org.apache.spark.sql.execution.streaming.StreamingRelation;
import scala.Option;
import scala.Tuple2;
import scala.collection.Iterator;
import scala.jdk.javaapi.CollectionConverters;

import java.io.IOException;
import java.net.URI;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * What a restricted session may not do, decided on the analyzed plan: every node, its
 * expressions, the plans of subqueries in them, and inner children (CTAS, CACHE TABLE, CREATE
 * VIEW and INSERT bodies move there once analyzed). View bodies and CTE definitions are ordinary
 * children by then, so neither a view, a CTE, a subquery nor a function name's case hides anything.
 */
final class PlanPolicy {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** Expressions that run code from the client: Scala closures (deserialized) and Python UDFs. */
    private static final Map<String, String> USER_CODE_EXPRESSIONS = Map.of(
            "org.apache.spark.sql.catalyst.expressions.ScalaUDF", "Scala user-defined function",
            "org.apache.spark.sql.execution.aggregate.ScalaUDAF", "Scala user-defined aggregate function",
            "org.apache.spark.sql.execution.aggregate.ScalaAggregator", "Scala user-defined aggregate function",
            "org.apache.spark.sql.catalyst.expressions.PythonUDF", "Python user-defined function",
            "org.apache.spark.sql.catalyst.expressions.PythonUDAF", "Python user-defined aggregate function",
            "org.apache.spark.sql.catalyst.expressions.PythonUDTF", "Python user-defined table function");

    /** Typed Dataset operators: each carries a Scala closure the client sent. */
    private static final Set<String> USER_CODE_NODES = Set.of("MapPartitions", "MapPartitionsInR",
            "MapPartitionsInRWithArrow", "MapElements", "TypedFilter", "AppendColumns", "AppendColumnsWithObject",
            "MapGroups", "FlatMapGroupsWithState", "FlatMapGroupsInR", "FlatMapGroupsInRWithArrow", "CoGroup",
            "TransformWithState");
    private static final String LOGICAL = "org.apache.spark.sql.catalyst.plans.logical.";

    private final AllowedRoots roots;
    private final Function<TableIdentifier, URI> defaultTableLocation;
    /**
     * Where approved CTAS statements will write their new managed tables: Spark writes those data
     * in a nested plan of their own (DataSource.writeAndRead) that names the path but, the table
     * not existing yet, no catalog table. Each entry admits one such write.
     */
    private final Set<URI> pendingManagedWrites = ConcurrentHashMap.newKeySet();

    PlanPolicy(AllowedRoots roots, Function<TableIdentifier, URI> defaultTableLocation) {
        this.roots = roots;
        this.defaultTableLocation = defaultTableLocation;
    }

    /** Throws {@link PolicyDeniedException} for the first denied thing in {@code plan}. */
    void check(LogicalPlan plan) {
        node(plan);
        for (Iterator<Expression> it = plan.expressions().iterator(); it.hasNext(); ) {
            expression(it.next());
        }
        for (Iterator<LogicalPlan> it = plan.children().iterator(); it.hasNext(); ) {
            check(it.next());
        }
        for (Iterator<QueryPlan<?>> it = plan.innerChildren().iterator(); it.hasNext(); ) {
            if (it.next() instanceof LogicalPlan inner) {
                check(inner);
            }
        }
    }

    private void expression(Expression e) {
        if (e instanceof TryReflect) {
            throw denied("function try_reflect");
        }
        if (e instanceof CallMethodViaReflection reflect) {
            throw denied("function " + reflect.prettyName().toLowerCase(Locale.ROOT));
        }
        String userCode = USER_CODE_EXPRESSIONS.get(e.getClass().getName());
        if (userCode != null) {
            throw denied(userCode);
        }
        if (e instanceof SubqueryExpression subquery) {
            check(subquery.plan());
        }
        for (Iterator<Expression> it = e.children().iterator(); it.hasNext(); ) {
            expression(it.next());
        }
    }

    private void node(LogicalPlan p) {
        if (p instanceof ScriptTransformation) {
            throw denied("TRANSFORM ... USING script");
        } else if (p instanceof AddJarsCommand) {
            throw denied("ADD JAR");
        } else if (p instanceof AddFilesCommand) {
            throw denied("ADD FILE");
        } else if (p instanceof AddArchivesCommand) {
            throw denied("ADD ARCHIVE");
        } else if (p instanceof CreateFunctionCommand f) {
            throw denied("CREATE FUNCTION from class " + f.className());
        } else if (p instanceof CreateFunction f) {
            throw denied("CREATE FUNCTION from class " + f.className());
        } else if (p instanceof SetCommand set) {
            setCommand(set);
        } else if (p instanceof ResetCommand reset) {
            if (reset.config().isEmpty()) {
                throw denied("RESET of all settings");
            }
            conf("RESET", reset.config().get());
        } else if (p instanceof LogicalRelation relation) {
            relation(relation);
        } else if (p instanceof DataSourceV2Relation relation) {
            v2Relation(relation);
        } else if (p instanceof StreamingRelation streaming) {
            provider(streaming.dataSource().className());
            options(streaming.dataSource().options());
            for (Iterator<String> it = streaming.dataSource().paths().iterator(); it.hasNext(); ) {
                path(it.next());
            }
        } else if (p instanceof InsertIntoHadoopFsRelationCommand insert) {
            if (insert.catalogTable().isEmpty()
                    && !pendingManagedWrites.remove(AllowedRoots.normalize(insert.outputPath().toString()))) {
                path(insert.outputPath().toString());
            }
        } else if (p instanceof SaveIntoDataSourceCommand save) {
            provider(save.dataSource().getClass().getName());
            options(save.options());
        } else if (p instanceof InsertIntoDataSourceDirCommand insert) {
            storage(insert.storage(), true);
        } else if (p instanceof InsertIntoDir insert) {
            storage(insert.storage(), true);
        } else if (p instanceof LoadDataCommand load) {
            path(load.path());
        } else if (p instanceof CreateTable create) {
            table(create.tableDesc(), create.query().isDefined());
        } else if (p instanceof CreateDataSourceTableCommand create) {
            table(create.table(), false);
        } else if (p instanceof CreateDataSourceTableAsSelectCommand create) {
            table(create.table(), true);
        } else if (p instanceof CreateTableLikeCommand like) {
            provider(like.provider());
            storage(like.fileFormat(), false);
        } else if (p instanceof CreateTempViewUsing view) {
            provider(view.provider());
            options(view.options());
        } else if (p instanceof AlterTableSetLocationCommand alter) {
            path(alter.location());
        } else if (p instanceof AlterTableAddPartitionCommand add) {
            for (Iterator<Tuple2<scala.collection.immutable.Map<String, String>, Option<String>>> it =
                    add.partitionSpecsAndLocs().iterator(); it.hasNext(); ) {
                Option<String> location = it.next()._2();
                if (location.isDefined()) {
                    path(location.get());
                }
            }
        } else if (p instanceof AlterTableSerDePropertiesCommand serde) {
            if (serde.serdeProperties().isDefined()) {
                options(serde.serdeProperties().get());
            }
        } else if (p instanceof CreateNamespace namespace) {
            options(namespace.properties(), "location");
        } else if (p instanceof org.apache.spark.sql.catalyst.plans.logical.CreateTable create) {
            tableSpec(create.tableSpec());
        } else if (p instanceof CreateTableAsSelect create) {
            tableSpec(create.tableSpec());
        } else if (p instanceof ReplaceTable replace) {
            tableSpec(replace.tableSpec());
        } else if (p instanceof ReplaceTableAsSelect replace) {
            tableSpec(replace.tableSpec());
        } else if (p.getClass().getName().startsWith(LOGICAL) && USER_CODE_NODES.contains(p.getClass().getSimpleName())) {
            throw denied("typed Dataset operation " + p.getClass().getSimpleName() + " (client code)");
        }
    }

    /** CREATE TABLE [AS SELECT] in the session catalog: no JDBC, no location outside the roots. */
    private void table(CatalogTable table, boolean withData) {
        provider(table.provider());
        storage(table.storage(), false);
        if (withData && table.storage().locationUri().isEmpty()) {
            pendingManagedWrites.add(AllowedRoots.normalize(defaultTableLocation.apply(table.identifier()).toString()));
        }
    }

    private void setCommand(SetCommand set) {
        if (set.kv().isDefined() && set.kv().get()._2().isDefined()) {
            conf("SET", set.kv().get()._1());
        }
    }

    private void conf(String verb, String key) {
        if (ConfPolicy.denied(key)) {
            throw denied(verb + " " + key.strip());
        }
    }

    /** Catalog tables (managed tables, views, what an admin registered) stay readable; paths do not. */
    private void relation(LogicalRelation relation) {
        if (relation.catalogTable().isDefined()) {
            return;
        }
        if (relation.relation() instanceof JDBCRelation) {
            throw denied("JDBC data source");
        }
        if (relation.relation() instanceof HadoopFsRelation fs) {
            rootPaths(fs.location().rootPaths());
        }
    }

    private void v2Relation(DataSourceV2Relation relation) {
        if (relation.catalog().isDefined() && relation.identifier().isDefined()) {
            return;
        }
        provider(relation.table().getClass().getName());
        if (relation.table() instanceof FileTable file) {
            rootPaths(file.fileIndex().rootPaths());
        }
        options(CollectionConverters.asScala(relation.options()));
    }

    private void rootPaths(scala.collection.immutable.Seq<Path> paths) {
        for (Iterator<Path> it = paths.iterator(); it.hasNext(); ) {
            path(it.next().toString());
        }
    }

    private void tableSpec(TableSpecBase spec) {
        provider(spec.provider());
        if (spec.location().isDefined()) {
            path(spec.location().get());
        }
        options(spec.properties(), "location");
        if (spec instanceof org.apache.spark.sql.catalyst.plans.logical.TableSpec full) {
            options(full.options());
        }
    }

    /** {@code required}: the command writes to this location, so it must have one we allow. */
    private void storage(CatalogStorageFormat storage, boolean required) {
        Option<URI> location = storage.locationUri();
        if (location.isDefined()) {
            path(location.get().toString());
        } else if (required) {
            throw denied("writing to a directory without a location");
        }
        options(storage.properties());
    }

    private void provider(Option<String> provider) {
        if (provider.isDefined()) {
            provider(provider.get());
        }
    }

    private void provider(String provider) {
        if (provider != null && provider.toLowerCase(Locale.ROOT).contains("jdbc")) {
            throw denied("JDBC data source");
        }
    }

    private void options(scala.collection.Map<String, String> options) {
        options(options, "path");
        for (Map.Entry<String, String> e : CollectionConverters.asJava(options).entrySet()) {
            String key = e.getKey().toLowerCase(Locale.ROOT);
            if (key.equals("paths")) {
                paths(e.getValue());
            } else if (key.equals("url") && e.getValue() != null && e.getValue().strip().toLowerCase(Locale.ROOT).startsWith("jdbc:")) {
                throw denied("JDBC data source");
            }
        }
    }

    private void options(scala.collection.Map<String, String> options, String pathKey) {
        for (Map.Entry<String, String> e : CollectionConverters.asJava(options).entrySet()) {
            if (e.getKey().equalsIgnoreCase(pathKey)) {
                path(e.getValue());
            }
        }
    }

    /** The "paths" option Spark passes to V2 file sources: a JSON array of strings. */
    private void paths(String json) {
        String[] paths;
        try {
            paths = JSON.readValue(json, String[].class);
        } catch (IOException e) {
            throw denied("paths option that is not a JSON array of paths");
        }
        for (String path : paths) {
            path(path);
        }
    }

    private void path(String path) {
        if (!roots.allows(path)) {
            throw denied("path " + path + " (outside spark.sparkgateway.policy.allowedRoots)");
        }
    }

    private static PolicyDeniedException denied(String what) {
        return new PolicyDeniedException(what);
    }
}
