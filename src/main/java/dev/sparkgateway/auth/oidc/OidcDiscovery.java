package dev.sparkgateway.auth.oidc;

import dev.sparkgateway.error.UnavailableException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/**
 * The issuer's {@code jwks_uri} from its OpenID Provider metadata (OpenID Connect Discovery 1.0
 * §4): {@code <issuer>/.well-known/openid-configuration}, whose {@code issuer} must equal the one
 * configured (§4.3), so a document served elsewhere cannot substitute its own keys.
 */
final class OidcDiscovery {

    private static final Duration TIMEOUT = Duration.ofSeconds(10);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final String issuer;
    private final URI url;

    OidcDiscovery(String issuer) {
        this.issuer = issuer;
        String base = issuer.endsWith("/") ? issuer.substring(0, issuer.length() - 1) : issuer;
        try {
            this.url = URI.create(base + "/.well-known/openid-configuration");
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException("gateway.auth.oidc.issuer is not a URL: " + e.getMessage(), e);
        }
        if (!"https".equals(url.getScheme()) && !"http".equals(url.getScheme())) {
            throw new IllegalStateException("gateway.auth.oidc.issuer must be an http(s) URL, not " + issuer);
        }
    }

    String issuer() {
        return issuer;
    }

    URI url() {
        return url;
    }

    /** Fetches the document (blocking); {@link UnavailableException} when it cannot be had or is not the issuer's. */
    URI jwksUri() {
        HttpClient client = HttpClient.newBuilder().connectTimeout(TIMEOUT).followRedirects(HttpClient.Redirect.NORMAL).build();
        HttpRequest request = HttpRequest.newBuilder(url).timeout(TIMEOUT).header("Accept", "application/json").GET().build();
        JsonNode metadata;
        try {
            HttpResponse<byte[]> response = client.send(request, HttpResponse.BodyHandlers.ofByteArray());
            if (response.statusCode() != 200) {
                throw new UnavailableException(UnavailableException.Reason.ISSUER, "The token issuer's discovery document " + url + " answered HTTP "
                        + response.statusCode());
            }
            metadata = JSON.readTree(response.body());
        } catch (IOException e) {
            throw new UnavailableException(UnavailableException.Reason.ISSUER, "The token issuer's discovery document " + url + " could not be read: " + e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new UnavailableException(UnavailableException.Reason.ISSUER, "Interrupted while fetching the token issuer's discovery document " + url);
        }
        if (metadata == null || !issuer.equals(metadata.path("issuer").asText(null))) {
            throw new UnavailableException(UnavailableException.Reason.ISSUER, "The discovery document " + url + " names issuer '"
                    + (metadata == null ? null : metadata.path("issuer").asText(null)) + "', not gateway.auth.oidc.issuer");
        }
        String jwks = metadata.path("jwks_uri").asText("");
        try {
            URI uri = URI.create(jwks);
            if (uri.getScheme() == null || !uri.getScheme().startsWith("http")) {
                throw new IllegalArgumentException("not an http(s) URL");
            }
            return uri;
        } catch (IllegalArgumentException e) {
            throw new UnavailableException(UnavailableException.Reason.ISSUER, "The discovery document " + url + " has no usable jwks_uri ('" + jwks + "')");
        }
    }
}
