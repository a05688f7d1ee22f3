package dev.sparkgateway.deploy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The rules catch broken references: the dev overlay, broken by one patch at a time. */
class ManifestRulesTest {

    @TempDir
    Path dir;

    private List<String> problemsWith(String patch) throws IOException {
        return problemsWith("overlays/dev", patch);
    }

    /** {@code overlay} with {@code patch} applied, checked with the overlay's allowed external Secrets. */
    private List<String> problemsWith(String overlay, String patch) throws IOException {
        // kustomize takes other kustomizations by relative path only.
        Files.writeString(dir.resolve("kustomization.yaml"), """
                resources:
                  - %s
                patches:
                  - path: patch.yaml
                """.formatted(dir.relativize(Rendered.K8S.resolve(overlay))));
        Files.writeString(dir.resolve("patch.yaml"), patch);
        return ManifestRules.check(Rendered.at(dir), ManifestsTest.EXTERNAL_SECRETS.get(overlay), ReadmeConfig.settings());
    }

    /** {@link #problemsWith} a patch of the gateway Deployment's pod spec: {@code podSpec} as it stands under spec.template.spec. */
    private List<String> problemsWithGatewayPod(String podSpec) throws IOException {
        return problemsWith("""
                apiVersion: apps/v1
                kind: Deployment
                metadata:
                  name: spark-connect-gateway
                spec:
                  template:
                    spec:
                """ + podSpec.indent(6));
    }

    private static void assertProblem(List<String> problems, String expected) {
        assertTrue(problems.stream().anyMatch(p -> p.contains(expected)), "expected a problem containing '" + expected
                + "', got " + problems);
    }

    @Test
    void theUnbrokenDevOverlayHasNoProblems() throws IOException {
        assertEquals(List.of(), problemsWith("""
                apiVersion: v1
                kind: Service
                metadata:
                  name: spark-connect
                """));
    }

    // kustomize merges Service ports by port and protocol: a port patch must name both.
    @ParameterizedTest(name = "{1}")
    @CsvSource(delimiter = '|', textBlock = """
            Service|spark-connect|selector:\\n    app.kubernetes.io/component: drivr|matches no pod template
            Service|spark-connect-gateway|ports:\\n    - port: 8080\\n      protocol: TCP\\n      targetPort: web|targetPort web is not a containerPort
            ConfigMap|spark-connect-gateway|GATEWAY_POOL_MAX_SESSION: "4"|GATEWAY_POOL_MAX_SESSION (from configMap:spark-connect-gateway) is not a gateway setting
            ConfigMap|spark-connect-settings|MIN_EXECUTORS: null|$(MIN_EXECUTORS) is not defined
            HorizontalPodAutoscaler|spark-connect-gateway|minReplicas: 3|differs from Deployment/spark-connect-gateway replicas
            PodDisruptionBudget|spark-connect-gateway|minAvailable: 1|would block every voluntary eviction
            NetworkPolicy|spark-connect|ingress:\\n    - from:\\n        - podSelector:\\n            matchLabels:\\n              app: gateway|matches no pod template
            """)
    void reportsABrokenReference(String kind, String name, String spec, String expected) throws IOException {
        String apiVersion = switch (kind) {
            case "HorizontalPodAutoscaler" -> "autoscaling/v2";
            case "PodDisruptionBudget" -> "policy/v1";
            case "NetworkPolicy" -> "networking.k8s.io/v1";
            default -> "v1";
        };
        String section = kind.equals("ConfigMap") ? "data" : "spec";
        assertProblem(problemsWith("apiVersion: " + apiVersion + "\nkind: " + kind + "\nmetadata:\n  name: " + name + "\n"
                + section + ":\n  " + spec.replace("\\n", "\n") + "\n"), expected);
    }

    @Test
    void reportsProbesOnUndeclaredPortsAndSwappedHealthPaths() throws IOException {
        List<String> problems = problemsWithGatewayPod("""
                containers:
                  - name: gateway
                    readinessProbe:
                      httpGet:
                        path: /q/health/ready
                        port: 8081
                    livenessProbe:
                      httpGet:
                        path: /q/health/ready
                        port: http
                """);
        assertProblem(problems, "readinessProbe: port 8081 is not a containerPort");
        assertProblem(problems, "livenessProbe: path /q/health/ready, expected /q/health/live");
    }

    @Test
    void reportsMissingResourcesAndSecurity() throws IOException {
        List<String> problems = problemsWithGatewayPod("""
                securityContext:
                  runAsNonRoot: null
                containers:
                  - name: gateway
                    image: spark-connect-gateway:latest
                    resources:
                      requests:
                        cpu: null
                    securityContext:
                      allowPrivilegeEscalation: null
                """);
        assertProblem(problems, "no resources.requests.cpu");
        assertProblem(problems, "uses :latest");
        assertProblem(problems, "runAsNonRoot is not true");
        assertProblem(problems, "allowPrivilegeEscalation is not false");
        assertProblem(problems, "cpu utilization needs requests.cpu");
    }

    @Test
    void theUnbrokenProductionOverlayHasNoProblems() throws IOException {
        assertEquals(List.of(), problemsWith("overlays/production", """
                apiVersion: v1
                kind: Service
                metadata:
                  name: spark-connect-gateway
                """));
    }

    // The statement store against the pods: production (postgresql) and dev (memory), one break at a time.
    @ParameterizedTest(name = "{0}: {3}")
    @CsvSource(delimiter = '|', textBlock = """
            overlays/production|ConfigMap|QUARKUS_DATASOURCE_PASSWORD: "hunter2"|ConfigMap/spark-connect-gateway: QUARKUS_DATASOURCE_PASSWORD is a credential
            overlays/production|ConfigMap|QUARKUS_DATASOURCE_JDBC_URL_X: "jdbc:postgresql://db/gw?password=hunter2"|holds a password
            overlays/production|ConfigMap|GATEWAY_STATEMENTS_SPOOL_DIR: /tmp/spool|is on volume tmp, not a PersistentVolumeClaim
            overlays/production|ConfigMap|GATEWAY_STATEMENTS_SPOOL_DIR: /var/lib/spool|is on no volume mount
            overlays/production|ConfigMap|GATEWAY_STATEMENTS_SPOOL_DIR: null|needs GATEWAY_STATEMENTS_SPOOL_DIR
            overlays/production|ConfigMap|GATEWAY_STATEMENTS_SPOOL_MAX_SIZE: "10G"|holds less than up to 12 replicas
            overlays/production|ConfigMap|GATEWAY_STATEMENTS_SHUTDOWN_GRACE: "45s"|terminationGracePeriodSeconds 105 is less than preStop 5s + QUARKUS_SHUTDOWN_TIMEOUT 45s + statement shutdown-grace 45s + spark shutdown-sweeps 20s
            overlays/production|PersistentVolumeClaim|accessModes: [ReadWriteOnce]|is not ReadWriteMany
            overlays/production|Deployment|template:\\n    spec:\\n      terminationGracePeriodSeconds: 60|terminationGracePeriodSeconds 60 is less than
            overlays/production|Deployment|template:\\n    spec:\\n      volumes:\\n        - name: spool\\n          persistentVolumeClaim:\\n            claimName: gateway-spool|spool claim gateway-spool is not rendered
            overlays/dev|ConfigMap|GATEWAY_STATEMENTS_STORE: "postgresql"|the postgresql statement store needs QUARKUS_DATASOURCE_JDBC_URL
            overlays/dev|ConfigMap|GATEWAY_STATEMENTS_STORE: "mysql"|is neither memory nor postgresql
            overlays/dev|HorizontalPodAutoscaler|maxReplicas: 2|the memory statement store holds statements in one process, but up to 2 replicas
            """)
    void reportsAStatementStoreThePodsCannotKeep(String overlay, String kind, String spec, String expected) throws IOException {
        String apiVersion = switch (kind) {
            case "Deployment" -> "apps/v1";
            case "HorizontalPodAutoscaler" -> "autoscaling/v2";
            default -> "v1";
        };
        String name = kind.equals("PersistentVolumeClaim") ? StatementStoreManifestsTest.SPOOL_CLAIM : "spark-connect-gateway";
        String section = kind.equals("ConfigMap") ? "data" : "spec";
        assertProblem(problemsWith(overlay, "apiVersion: " + apiVersion + "\nkind: " + kind + "\nmetadata:\n  name: " + name
                + "\n" + section + ":\n  " + spec.replace("\\n", "\n") + "\n"), expected);
    }

    @Test
    void reportsSecretsThatAreNeitherRenderedNorAllowedExternally() throws IOException {
        List<String> problems = ManifestRules.check(Rendered.at(Rendered.K8S.resolve("overlays/production")), Set.of(),
                ReadmeConfig.settings());
        assertProblem(problems, "Secret spark-connect-token is neither rendered nor an allowed external Secret");
    }

    @Test
    void aDeploymentSelectingAnotherDeploymentsPodsIsAProblem() throws IOException {
        assertProblem(problemsWith("""
                apiVersion: apps/v1
                kind: Deployment
                metadata:
                  name: spark-connect
                spec:
                  selector:
                    matchLabels:
                      $patch: replace
                      app.kubernetes.io/part-of: spark-connect-gateway
                """), "selector also matches the pods of Deployment/spark-connect-gateway");
    }

}
