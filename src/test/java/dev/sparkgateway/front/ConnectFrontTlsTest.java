package dev.sparkgateway.front;

import dev.sparkgateway.testing.ApiKeyFiles;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.GrpcSslContexts;
import io.grpc.netty.NettyChannelBuilder;
import io.grpc.stub.MetadataUtils;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import org.apache.spark.connect.proto.SparkConnectServiceGrpc;
import org.junit.jupiter.api.Test;

import javax.net.ssl.SSLException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static dev.sparkgateway.front.FrontClient.newSession;
import static dev.sparkgateway.front.FrontClient.query;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** The front with gateway.connect-front.tls-cert-file/tls-key-file: clients connect with use_ssl=true, plaintext is refused. */
@QuarkusTest
@TestProfile(ConnectFrontTlsTest.Tls.class)
class ConnectFrontTlsTest {

    static final Path DIR = Path.of("target", "test-tls").toAbsolutePath();
    static final Path CERT = DIR.resolve("front-cert.pem");
    static final Path KEY = DIR.resolve("front-key.pem");
    static final Path KEYS = Path.of("target", "test-auth", "connect-front-tls-keys.json").toAbsolutePath();
    static final ApiKeyFiles.Key ANA = new ApiKeyFiles.Key("front-tls-ana-key", "ana", "ana_spark", List.of("analyst"));

    public static class Tls implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            selfSignedCertificate();
            ApiKeyFiles.write(KEYS, List.of(ANA));
            return Map.of("gateway.auth.mode", "api-key", "gateway.auth.api-keys-file", KEYS.toString(),
                    "gateway.connect-front.enabled", "true", "gateway.connect-front.port", "0",
                    "gateway.connect-front.host", "127.0.0.1",
                    "gateway.connect-front.tls-cert-file", CERT.toString(), "gateway.connect-front.tls-key-file", KEY.toString());
        }
    }

    /** A certificate for 127.0.0.1 from Debian's openssl, as an operator would make one for a test installation. */
    static void selfSignedCertificate() {
        try {
            Files.createDirectories(DIR);
            Process openssl = new ProcessBuilder("openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2",
                    "-subj", "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1",
                    "-keyout", KEY.toString(), "-out", CERT.toString())
                    .redirectErrorStream(true).redirectOutput(DIR.resolve("openssl.log").toFile()).start();
            if (!openssl.waitFor(60, TimeUnit.SECONDS) || openssl.exitValue() != 0) {
                throw new IllegalStateException("openssl could not make a test certificate: " + Files.readString(DIR.resolve("openssl.log")));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    @Inject
    ConnectFront front;

    private SparkConnectServiceGrpc.SparkConnectServiceBlockingStub stub(ManagedChannel channel) {
        Metadata headers = new Metadata();
        headers.put(Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER), "Bearer " + ANA.key());
        return SparkConnectServiceGrpc.newBlockingStub(channel).withInterceptors(MetadataUtils.newAttachHeadersInterceptor(headers))
                .withDeadlineAfter(60, TimeUnit.SECONDS);
    }

    @Test
    void aClientTrustingTheCertificateRunsQueriesAndAPlaintextOneIsRefused() throws SSLException {
        ManagedChannel tls = NettyChannelBuilder.forAddress("127.0.0.1", front.port())
                .sslContext(GrpcSslContexts.forClient().trustManager(CERT.toFile()).build()).build();
        ManagedChannel plaintext = NettyChannelBuilder.forAddress("127.0.0.1", front.port()).usePlaintext().build();
        try {
            assertEquals("ana_spark", FrontClient.firstValue(stub(tls).executePlan(query(newSession(), "SELECT current_user()"))));
            StatusRuntimeException refused = assertThrows(StatusRuntimeException.class,
                    () -> FrontClient.all(stub(plaintext).withDeadlineAfter(10, TimeUnit.SECONDS).executePlan(query(newSession(), "SELECT 1"))));
            assertEquals(io.grpc.Status.Code.UNAVAILABLE, refused.getStatus().getCode(), refused.getMessage());
        } finally {
            tls.shutdownNow();
            plaintext.shutdownNow();
        }
    }
}
