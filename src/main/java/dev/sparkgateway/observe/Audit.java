package dev.sparkgateway.observe;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * Who ran what, for the one log line per statement: the principal, its Spark user, and the
 * statement as a fingerprint (the same text gives the same fingerprint, so repeats can be grouped
 * without logging SQL that may hold data) or, when {@code gateway.audit.log-statements}, the text.
 *
 * @param text null unless statements are logged
 */
public record Audit(String principal, String sparkUser, String fingerprint, String text) {

    /** A request of {@code principal} that carries no statement (yet): a bad body, an unknown path. */
    public static Audit principalOnly(String principal, String sparkUser) {
        return new Audit(principal, sparkUser, null, null);
    }

    /** The first 16 hex digits of the SHA-256 of the statement's text (SQL, or a spec or plan as sent). */
    public static String fingerprint(String statement) {
        try {
            byte[] hash = MessageDigest.getInstance("SHA-256").digest(statement.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(hash, 0, 8);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }
}
