package dev.sparkgateway.plan;

import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.Message;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Finds user-supplied code in a raw plan: UDFs (serialized Scala/Java closures, Python pickles),
 * user-defined table functions and data sources, ML operators, and plugin extensions
 * ({@code google.protobuf.Any}). Spark deserializes such payloads while planning, before any
 * analyzer rule can see them, so the gateway keeps them from restricted principals itself.
 */
public final class UserCode {

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

    private UserCode() {
    }

    /** Where the first piece of user code sits (a field path such as {@code project.expressions[0].commonInlineUserDefinedFunction}). */
    public static Optional<String> find(Message message) {
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
                    return Optional.of(at);
                }
                Optional<String> inside = find(child, at);
                if (inside.isPresent()) {
                    return inside;
                }
            }
        }
        return Optional.empty();
    }
}
