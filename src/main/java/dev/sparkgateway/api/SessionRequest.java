package dev.sparkgateway.api;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sparkgateway.error.InvalidRequestException;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Body of {@code POST /v1/sessions} (optional).
 *
 * @param conf     Spark SQL confs to set first, each as the caller's own {@code SET key=value} would
 * @param database the current database to start in ({@code USE}, the name quoted as one identifier)
 */
@Schema(name = "SessionRequest", description = "How a new session starts: confs to SET and a database to USE")
public record SessionRequest(
        // The schema is written out in META-INF/openapi.yaml: generated from JsonNode it would describe Jackson's node class.
        @Schema(ref = "SessionConf", examples = "{\"spark.sql.shuffle.partitions\": 4}")
        Map<String, JsonNode> conf,
        @Schema(description = "The session's current database (USE)", examples = "sales") String database) {

    static final SessionRequest EMPTY = new SessionRequest(null, null);

    /** The confs as the text SET takes, in the body's order. */
    Map<String, String> confText() {
        Map<String, String> text = new LinkedHashMap<>();
        if (conf != null) {
            conf.forEach((key, value) -> {
                if (value == null || !value.isValueNode() || value.isNull()) {
                    throw new InvalidRequestException("a conf value must be a string, number or boolean",
                            "/conf/" + key.replace("~", "~0").replace("/", "~1"));
                }
                text.put(key, value.asText());
            });
        }
        return text;
    }

    Optional<String> databaseName() {
        return Optional.ofNullable(database);
    }
}
