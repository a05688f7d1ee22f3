package dev.sparkgateway.plan;

import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.Message;
import org.apache.spark.connect.proto.Read;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * What a restricted principal's plan may not carry, found before it reaches Spark because Spark
 * acts on it while planning, before the SQL policy's analyzer rule can see it: user-supplied code
 * (UDFs as serialized Scala/Java closures or Python pickles, user-defined table functions and data
 * sources, ML operators, plugin extensions as {@code google.protobuf.Any}), and JDBC reads (Spark
 * Connect opens the connection while resolving the read).
 */
public final class RestrictedPlans {

    private static final Set<String> CODE = Set.of(
            "spark.connect.CommonInlineUserDefinedFunction",
            "spark.connect.CommonInlineUserDefinedTableFunction",
            "spark.connect.CommonInlineUserDefinedDataSource",
            "spark.connect.ScalarScalaUDF",
            "spark.connect.PythonUDF",
            "spark.connect.PythonUDTF",
            "spark.connect.JavaUDF",
            "spark.connect.MlRelation",
            "spark.connect.CachedRemoteRelation",
            "google.protobuf.Any");

    private RestrictedPlans() {
    }

    /**
     * What is denied and where, for the first offending part (a field path such as
     * {@code project.expressions[0].commonInlineUserDefinedFunction}).
     */
    public static Optional<String> violation(Message message) {
        return find(message, "");
    }

    private static Optional<String> find(Message message, String path) {
        for (Map.Entry<FieldDescriptor, Object> entry : message.getAllFields().entrySet()) {
            FieldDescriptor field = entry.getKey();
            if (field.getJavaType() != FieldDescriptor.JavaType.MESSAGE) {
                continue;
            }
            String name = path.isEmpty() ? field.getJsonName() : path + "." + field.getJsonName();
            List<?> values = field.isRepeated() ? (List<?>) entry.getValue() : List.of(entry.getValue());
            for (int i = 0; i < values.size(); i++) {
                Message child = (Message) values.get(i);
                String at = field.isRepeated() ? name + "[" + i + "]" : name;
                if (CODE.contains(child.getDescriptorForType().getFullName())) {
                    return Optional.of("user-defined code or a plugin extension (UDFs, UDTFs, data sources, ML, Any) at " + at);
                }
                if (child instanceof Read.DataSource source && isJdbc(source)) {
                    return Optional.of("a JDBC data source at " + at);
                }
                Optional<String> inside = find(child, at);
                if (inside.isPresent()) {
                    return inside;
                }
            }
        }
        return Optional.empty();
    }

    private static boolean isJdbc(Read.DataSource source) {
        boolean jdbcFormat = source.hasFormat() && source.getFormat().strip().toLowerCase(Locale.ROOT).contains("jdbc");
        boolean jdbcUrl = source.getOptionsMap().entrySet().stream().anyMatch(e -> e.getKey().equalsIgnoreCase("url")
                && e.getValue().strip().toLowerCase(Locale.ROOT).startsWith("jdbc:"));
        return jdbcFormat || jdbcUrl;
    }
}
