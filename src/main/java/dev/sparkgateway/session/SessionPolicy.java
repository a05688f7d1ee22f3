package dev.sparkgateway.session;

import dev.sparkgateway.error.UnavailableException;
import dev.sparkgateway.connect.ConnectSession;
import dev.sparkgateway.connect.SparkConnectClient;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Prepares new sessions for the gateway's extension inside Spark (spark-policy/): every session
 * gets its Spark user (which {@code current_user()} then answers: Spark Connect 4.0 itself answers
 * with the server's OS user), and a restricted user's session the policy mark, which the extension
 * latches and refuses to let SQL change. Both are set by the Config RPC, which only the gateway
 * sends, before the session runs anything.
 */
final class SessionPolicy {

    /** The extension's class, as {@code spark.sql.extensions} lists it. */
    static final String EXTENSION = "dev.sparkgateway.policy.GatewayPolicyExtensions";
    /** The session conf that makes the extension restrict a session. */
    static final String RESTRICTED = "spark.sparkgateway.policy.restricted";
    /** The session conf the extension answers {@code current_user()} with. */
    static final String USER = "spark.sparkgateway.user";
    private static final String EXTENSIONS_CONF = "spark.sql.extensions";

    private SessionPolicy() {
    }

    /** Creates {@code session} on the server, as a restricted one if {@code restricted}. */
    static void prepare(SparkConnectClient client, ConnectSession session, boolean restricted) {
        if (restricted) {
            restrict(client, session);
        } else {
            client.setConf(session, Map.of(USER, session.userId()));
        }
    }

    /**
     * A restricted session: checks the extension is loaded (a server started without it would run
     * everything unrestricted), then sets the mark.
     */
    private static void restrict(SparkConnectClient client, ConnectSession session) {
        Optional<String> extensions = client.getConf(session, List.of(EXTENSIONS_CONF))
                .getOrDefault(EXTENSIONS_CONF, Optional.empty());
        if (extensions.isEmpty() || !List.of(extensions.get().split("\\s*,\\s*")).contains(EXTENSION)) {
            throw new UnavailableException(UnavailableException.Reason.SPARK_POLICY, "The Spark Connect server does not load the gateway's SQL policy extension ("
                    + EXTENSIONS_CONF + " lacks " + EXTENSION + "), so statements of non-admin principals are refused."
                    + " Start Spark with the spark-gateway-policy jar on its classpath and " + EXTENSIONS_CONF + "="
                    + EXTENSION + " (docs/security.md)");
        }
        client.setConf(session, Map.of(RESTRICTED, "true", USER, session.userId()));
    }
}
