package dev.sparkgateway.auth.oidc;

import dev.sparkgateway.error.DeniedException;
import dev.sparkgateway.auth.Principal;
import jakarta.json.Json;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class TokenClaimsTest {

    private static final TokenClaims CLAIMS = new TokenClaims("sub", "preferred_username", "groups");

    @Test
    void rolesAreAJsonArrayOrASeparatedString() {
        assertEquals(Set.of("admin", "ops"), TokenClaims.roles(List.of("admin", " ops ", "")));
        assertEquals(Set.of("admin", "ops"), TokenClaims.roles(Json.createArrayBuilder().add("admin").add("ops").add(1).build()));
        assertEquals(Set.of("a", "b", "c"), TokenClaims.roles(" a b,c ,, "));
        assertEquals(Set.of("admin"), TokenClaims.roles(Json.createValue("admin")));
        assertEquals(Set.of(), TokenClaims.roles(null));
        assertEquals(Set.of(), TokenClaims.roles(42L));
    }

    @Test
    void theSparkUserDefaultsToThePrincipalClaim() {
        TokenClaims same = new TokenClaims("sub", "sub", "groups");
        assertEquals(new Principal("u1", "u1", Set.of()), same.read(Map.<String, Object>of("sub", "u1")::get));
        assertEquals(new Principal("u1", "carol", Set.of("x")),
                CLAIMS.read(Map.<String, Object>of("sub", "u1", "preferred_username", "carol", "groups", "x")::get));
    }

    @Test
    void unusableNamesAreRefused() {
        assertEquals(DeniedException.Reason.UNAUTHENTICATED, assertThrows(DeniedException.class,
                () -> CLAIMS.read(Map.<String, Object>of("preferred_username", "c")::get)).reason());
        for (Object bad : List.of("", " ", "x".repeat(TokenClaims.MAX_NAME_LENGTH + 1), "a\u0000b", 42L, List.of("carol"))) {
            DeniedException e = assertThrows(DeniedException.class,
                    () -> CLAIMS.read(Map.<String, Object>of("sub", "u1", "preferred_username", bad)::get));
            assertEquals(DeniedException.Reason.FORBIDDEN, e.reason());
        }
        assertEquals(DeniedException.Reason.FORBIDDEN, assertThrows(DeniedException.class,
                () -> CLAIMS.read(Map.<String, Object>of("sub", "u1")::get), "missing Spark user claim").reason());
        assertEquals("x".repeat(TokenClaims.MAX_NAME_LENGTH), CLAIMS.read(Map.<String, Object>of("sub", "u1", "preferred_username",
                "x".repeat(TokenClaims.MAX_NAME_LENGTH))::get).sparkUser());
    }
}
