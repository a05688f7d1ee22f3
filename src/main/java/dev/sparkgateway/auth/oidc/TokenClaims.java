package dev.sparkgateway.auth.oidc;

import dev.sparkgateway.error.DeniedException;
import dev.sparkgateway.auth.Principal;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;

import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * Reads a {@link Principal} from a verified token's claims. The names end up as Spark user ids,
 * statement owners and log fields, so they must be short printable strings.
 *
 * @param principal claim naming the principal
 * @param sparkUser claim naming the Spark user
 * @param roles     claim with the roles (JSON array, or a string separated by spaces or commas)
 */
record TokenClaims(String principal, String sparkUser, String roles) {

    /** Far above real user names, far below anything that would bloat logs or Spark's session keys. */
    static final int MAX_NAME_LENGTH = 128;
    private static final Pattern SEPARATORS = Pattern.compile("[\\s,]+");

    static TokenClaims of(OidcConfig config) {
        return new TokenClaims(config.principalClaim(), config.sparkUserClaim().orElse(config.principalClaim()), config.rolesClaim());
    }

    /** @param claims a claim's value by name (null when absent), as the JWT library decoded it */
    Principal read(Function<String, Object> claims) {
        Object name = claims.apply(principal);
        if (name == null) {
            throw DeniedException.unauthenticated("The token has no '" + principal + "' claim to name the principal", true);
        }
        String principalName = name(principal, name, "principal");
        String sparkUserName = sparkUser.equals(principal) ? principalName : name(sparkUser, claims.apply(sparkUser), "Spark user");
        return new Principal(principalName, sparkUserName, roles(claims.apply(roles)));
    }

    /** A name the gateway can run as: a 403, since the token itself is valid but unusable here. */
    private static String name(String claim, Object value, String what) {
        String text = text(value);
        if (text == null) {
            throw DeniedException.forbidden("The token's '" + claim + "' claim, which names the " + what
                    + ", is missing or not a string");
        }
        if (text.isBlank() || text.length() > MAX_NAME_LENGTH || text.chars().anyMatch(Character::isISOControl)) {
            throw DeniedException.forbidden("The token's '" + claim + "' claim, which names the " + what
                    + ", must be 1 to " + MAX_NAME_LENGTH + " printable characters (it has " + text.length() + ")");
        }
        return text;
    }

    static Set<String> roles(Object value) {
        Set<String> roles = new LinkedHashSet<>();
        if (value instanceof Collection<?> values) { // a JSON array (jakarta.json.JsonArray is a List too)
            for (Object v : values) {
                String role = text(v);
                if (role != null && !role.isBlank()) {
                    roles.add(role.strip());
                }
            }
        } else {
            String text = text(value);
            if (text != null) {
                for (String role : SEPARATORS.split(text.strip())) {
                    if (!role.isEmpty()) {
                        roles.add(role);
                    }
                }
            }
        }
        return roles;
    }

    private static String text(Object value) {
        if (value instanceof String s) {
            return s;
        }
        if (value instanceof JsonString s) {
            return s.getString();
        }
        if (value instanceof JsonValue || value == null) {
            return null;
        }
        return value instanceof CharSequence c ? c.toString() : null;
    }
}
