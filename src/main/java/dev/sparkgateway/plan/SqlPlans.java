package dev.sparkgateway.plan;

import com.fasterxml.jackson.databind.JsonNode;
import org.apache.spark.connect.proto.Command;
import org.apache.spark.connect.proto.Expression;
import org.apache.spark.connect.proto.Limit;
import org.apache.spark.connect.proto.Plan;
import org.apache.spark.connect.proto.Relation;
import org.apache.spark.connect.proto.SQL;
import org.apache.spark.connect.proto.SqlCommand;

import java.util.Iterator;
import java.util.Map;
import java.util.Locale;
import java.util.OptionalLong;

/** Plans for SQL text, the way the official clients send it. */
public final class SqlPlans {

    private SqlPlans() {
    }

    /**
     * A {@code SqlCommand}: the server runs commands (DDL, DML, SET, SHOW...) eagerly and answers
     * with their rows inlined; for a plain query it answers with the query relation, which is then
     * executed as a root plan.
     */
    public static Plan command(String sql, JsonNode parameters) {
        return command(sql(sql, parameters));
    }

    /** The same for a SQL relation built elsewhere. */
    public static Plan command(Relation sqlRelation) {
        return Plan.newBuilder().setCommand(Command.newBuilder()
                .setSqlCommand(SqlCommand.newBuilder().setInput(sqlRelation))).build();
    }

    /** The SQL relation with parameters bound as literals: an object binds {@code :name}, an array binds {@code ?}. */
    public static Relation sql(String sql, JsonNode parameters) {
        return sql(sql, "/sql", parameters, "/parameters");
    }

    /** The same for SQL found elsewhere in a request (e.g. a DataFrame spec's source), with its pointers. */
    public static Relation sql(String sql, String sqlPointer, JsonNode parameters, String parametersPointer) {
        if (sql == null || sql.isBlank()) {
            throw new PlanException(sqlPointer, "the SQL text is empty");
        }
        SQL.Builder relation = SQL.newBuilder().setQuery(sql);
        if (parameters != null && !parameters.isNull() && !parameters.isMissingNode()) {
            if (parameters.isObject()) {
                for (Iterator<Map.Entry<String, JsonNode>> it = parameters.fields(); it.hasNext(); ) {
                    Map.Entry<String, JsonNode> p = it.next();
                    if (p.getKey().isEmpty()) {
                        throw new PlanException(parametersPointer + "/", "parameter names cannot be empty");
                    }
                    relation.putNamedArguments(p.getKey(), literal(p.getValue(), parametersPointer + "/" + PlanException.token(p.getKey())));
                }
            } else if (parameters.isArray()) {
                int index = 0;
                for (JsonNode p : parameters) {
                    relation.addPosArguments(literal(p, parametersPointer + "/" + index++));
                }
            } else {
                throw new PlanException(parametersPointer, "parameters must be an object (for :name markers) or an array (for ? markers)");
            }
        }
        return Relation.newBuilder().setSql(relation).build();
    }

    private static Expression literal(JsonNode value, String pointer) {
        return Literals.fromJson(value, pointer);
    }

    /**
     * True when the text can only be a query: its first keyword (after comments and opening
     * parentheses) is SELECT, VALUES or TABLE. Such text skips the SqlCommand round trip, which
     * only matters for commands. WITH and FROM are not enough: {@code WITH ... INSERT} and
     * {@code FROM t INSERT ...} are commands.
     */
    public static boolean isQuery(String sql) {
        int i = 0;
        int n = sql.length();
        while (i < n) {
            char c = sql.charAt(i);
            if (Character.isWhitespace(c) || c == '(') {
                i++;
            } else if (sql.startsWith("--", i)) {
                int end = sql.indexOf('\n', i);
                i = end < 0 ? n : end + 1;
            } else if (sql.startsWith("/*", i)) {
                int end = sql.indexOf("*/", i + 2);
                if (end < 0 || sql.substring(i + 2, end).contains("/*")) {
                    return false; // unterminated or nested: let Spark's parser judge
                }
                i = end + 2;
            } else {
                break;
            }
        }
        int start = i;
        while (i < n && Character.isLetter(sql.charAt(i))) {
            i++;
        }
        if (i < n && (Character.isLetterOrDigit(sql.charAt(i)) || sql.charAt(i) == '_')) {
            return false;
        }
        String keyword = sql.substring(start, i).toUpperCase(Locale.ROOT);
        return keyword.equals("SELECT") || keyword.equals("VALUES") || keyword.equals("TABLE");
    }

    /** A root plan; with a limit it asks for one row more, so the caller can tell whether rows were cut. */
    public static Plan root(Relation relation, OptionalLong limit) {
        if (limit.isEmpty()) {
            return Plan.newBuilder().setRoot(relation).build();
        }
        long probe = Math.min(limit.getAsLong(), Integer.MAX_VALUE - 1L) + 1;
        return Plan.newBuilder().setRoot(Relation.newBuilder()
                .setLimit(Limit.newBuilder().setInput(relation).setLimit((int) probe))).build();
    }
}
