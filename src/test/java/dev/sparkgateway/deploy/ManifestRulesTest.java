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
        // kustomize takes other kustomizations by relative path only.
        Files.writeString(dir.resolve("kustomization.yaml"), """
                resources:
                  - %s
                patches:
                  - path: patch.yaml
                """.formatted(dir.relativize(Rendered.K8S.resolve("overlays/dev"))));
        Files.writeString(dir.resolve("patch.yaml"), patch);
        return ManifestRules.check(Rendered.at(dir), Set.of(), ReadmeConfig.envNames());
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
    void reportsSecretsThatAreNeitherRenderedNorAllowedExternally() throws IOException {
        List<String> problems = ManifestRules.check(Rendered.at(Rendered.K8S.resolve("overlays/production")), Set.of(),
                ReadmeConfig.envNames());
        assertProblem(problems, "Secret spark-connect-token is neither rendered nor an allowed external Secret");
    }
}
