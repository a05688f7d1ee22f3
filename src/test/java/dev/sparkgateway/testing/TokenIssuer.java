package dev.sparkgateway.testing;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import org.jose4j.jwk.JsonWebKey;
import org.jose4j.jwk.JsonWebKeySet;
import org.jose4j.jwk.RsaJsonWebKey;
import org.jose4j.jwk.RsaJwkGenerator;
import org.jose4j.jws.AlgorithmIdentifiers;
import org.jose4j.jws.JsonWebSignature;
import org.jose4j.jwt.JwtClaims;
import org.jose4j.jwt.NumericDate;
import org.jose4j.jwa.AlgorithmConstraints;
import org.jose4j.lang.JoseException;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A real OpenID token issuer on loopback for tests: its own RSA key, discovery at
 * {@code /.well-known/openid-configuration}, the JWKS at {@code /jwks}, and {@code POST /token}
 * minting an RS256 JWT from the JSON claims posted (iss, iat and exp filled in unless given).
 * Tokens are minted over HTTP, so tests in Quarkus' class loaders need no shared state with it.
 * Signing helpers for tokens it would never issue (foreign keys, {@code alg=none}) are static.
 */
public final class TokenIssuer implements AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final HttpServer server;
    private final RsaJsonWebKey key;
    private final String issuer;
    private final AtomicInteger jwksFetches = new AtomicInteger();

    private TokenIssuer(HttpServer server, RsaJsonWebKey key) {
        this.server = server;
        this.key = key;
        this.issuer = "http://127.0.0.1:" + server.getAddress().getPort() + "/realms/test";
    }

    /** Starts on a free loopback port; all its threads are daemons, so it never keeps a JVM alive. */
    public static TokenIssuer start() {
        try {
            HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
            TokenIssuer issuer = new TokenIssuer(server, rsaKey("issuer-key-1"));
            server.createContext("/realms/test/.well-known/openid-configuration", issuer::discovery);
            server.createContext("/realms/test/jwks", issuer::jwks);
            server.createContext("/realms/test/token", issuer::token);
            server.createContext("/realms/test/jwks-fetches", e -> send(e, 200, Integer.toString(issuer.jwksFetches.get())));
            server.setExecutor(Executors.newCachedThreadPool(r -> {
                Thread t = new Thread(r, "test-token-issuer");
                t.setDaemon(true);
                return t;
            }));
            // Its dispatcher thread inherits daemon status from the thread that starts it.
            Thread starter = new Thread(server::start, "test-token-issuer-start");
            starter.setDaemon(true);
            starter.start();
            starter.join();
            return issuer;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while starting the token issuer", e);
        }
    }

    public String issuer() {
        return issuer;
    }

    /** Its signing key, for tests that sign tokens the issuer itself would never mint. */
    public RsaJsonWebKey key() {
        return key;
    }

    @Override
    public void close() {
        server.stop(0);
        ((java.util.concurrent.ExecutorService) server.getExecutor()).shutdownNow();
    }

    private void discovery(HttpExchange exchange) throws IOException {
        send(exchange, 200, JSON.writeValueAsString(Map.of("issuer", issuer, "jwks_uri", issuer + "/jwks",
                "token_endpoint", issuer + "/token", "id_token_signing_alg_values_supported", new String[] {"RS256"})));
    }

    private void jwks(HttpExchange exchange) throws IOException {
        jwksFetches.incrementAndGet();
        send(exchange, 200, new JsonWebKeySet(key).toJson(JsonWebKey.OutputControlLevel.PUBLIC_ONLY));
    }

    private void token(HttpExchange exchange) throws IOException {
        if (!"POST".equals(exchange.getRequestMethod())) {
            send(exchange, 405, "POST claims as JSON");
            return;
        }
        Map<String, Object> claims = JSON.readValue(exchange.getRequestBody(), new TypeReference<Map<String, Object>>() { });
        try {
            send(exchange, 200, sign(claims(issuer, claims), key, AlgorithmIdentifiers.RSA_USING_SHA256));
        } catch (JoseException e) {
            send(exchange, 500, e.toString());
        }
    }

    /** The claims posted, with iss, iat and exp (5 minutes) unless they are given; a claim given as null is left out. */
    public static JwtClaims claims(String issuer, Map<String, Object> given) {
        JwtClaims claims = new JwtClaims();
        claims.setIssuer(issuer);
        claims.setIssuedAtToNow();
        claims.setExpirationTime(NumericDate.fromSeconds(NumericDate.now().getValue() + 300));
        given.forEach((name, value) -> {
            if (value == null) {
                claims.unsetClaim(name);
            } else {
                claims.setClaim(name, value);
            }
        });
        return claims;
    }

    /** A fresh 2048-bit RSA key with key id {@code kid}. */
    public static RsaJsonWebKey rsaKey(String kid) {
        try {
            RsaJsonWebKey key = RsaJwkGenerator.generateJwk(2048);
            key.setKeyId(kid);
            return key;
        } catch (JoseException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Signs with {@code key} ({@code null} and {@link AlgorithmIdentifiers#NONE}: an unsigned token). */
    public static String sign(JwtClaims claims, RsaJsonWebKey key, String algorithm) throws JoseException {
        JsonWebSignature jws = new JsonWebSignature();
        jws.setPayload(claims.toJson());
        jws.setAlgorithmHeaderValue(algorithm);
        jws.setHeader("typ", "JWT");
        if (key != null) {
            jws.setKey(key.getPrivateKey());
            jws.setKeyIdHeaderValue(key.getKeyId());
        } else {
            jws.setAlgorithmConstraints(AlgorithmConstraints.NO_CONSTRAINTS);
        }
        return jws.getCompactSerialization();
    }

    private static void send(HttpExchange exchange, int status, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", status == 200 && body.startsWith("{") ? "application/json" : "text/plain");
        exchange.sendResponseHeaders(status, bytes.length);
        exchange.getResponseBody().write(bytes);
        exchange.close();
    }
}
