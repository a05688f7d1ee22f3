package dev.sparkgateway.connect;

import java.util.List;
import java.util.Objects;
import java.util.UUID;

/**
 * Per-execution settings. {@code reattachable} asks the server to buffer responses so a cut stream
 * can be resumed; asynchronous statements use it, the synchronous endpoints do not need it (no
 * 2-minute cut without it).
 */
public record ExecuteOptions(String operationId, boolean reattachable, List<String> tags) {

    public ExecuteOptions {
        Objects.requireNonNull(operationId, "operationId is null");
        tags = List.copyOf(tags);
    }

    public static ExecuteOptions fresh() {
        return fresh(false, List.of());
    }

    /** A new operation id with these settings. */
    public static ExecuteOptions fresh(boolean reattachable, List<String> tags) {
        return new ExecuteOptions(UUID.randomUUID().toString(), reattachable, tags);
    }
}
