package dev.sparkgateway.connect;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.protobuf.Any;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.rpc.ErrorInfo;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.protobuf.StatusProto;
import java.util.Map;
import java.util.Optional;

/** Decodes gRPC failures from Spark Connect into {@link SparkException}. */
public final class SparkErrors {

    private static final ObjectMapper JSON = new ObjectMapper();

    private SparkErrors() {
    }

    public static SparkException decode(Throwable t) {
        if (t instanceof SparkException se) {
            return se;
        }
        Status status = Status.fromThrowable(t);
        String message = status.getDescription() != null ? status.getDescription() : status.getCode().name();
        Optional<String> errorClass = Optional.empty();
        Optional<String> sqlState = Optional.empty();
        Optional<String> errorId = Optional.empty();
        Map<String, String> parameters = Map.of();
        com.google.rpc.Status rich = t instanceof StatusRuntimeException ? StatusProto.fromThrowable(t) : null;
        if (rich != null) {
            for (Any detail : rich.getDetailsList()) {
                if (!detail.is(ErrorInfo.class)) {
                    continue;
                }
                try {
                    ErrorInfo info = detail.unpack(ErrorInfo.class);
                    Map<String, String> meta = info.getMetadataMap();
                    errorClass = Optional.ofNullable(meta.get("errorClass"));
                    sqlState = Optional.ofNullable(meta.get("sqlState"));
                    errorId = Optional.ofNullable(meta.get("errorId"));
                    parameters = parseParameters(meta.get("messageParameters"));
                } catch (InvalidProtocolBufferException e) {
                    // A malformed detail leaves the plain status message, which is still useful.
                }
            }
        }
        if (errorClass.isEmpty() && status.getCode() == Status.Code.UNAVAILABLE) {
            message = "Spark Connect is unreachable: " + message;
        }
        return new SparkException(status.getCode(), message, errorClass, sqlState, errorId, parameters, t);
    }

    private static Map<String, String> parseParameters(String json) {
        if (json == null || json.isBlank()) {
            return Map.of();
        }
        try {
            return JSON.readValue(json, new TypeReference<Map<String, String>>() {
            });
        } catch (Exception e) {
            return Map.of();
        }
    }
}
