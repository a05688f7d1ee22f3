package dev.sparkgateway.deploy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The strict schema check catches the mistakes kubectl/the API server would reject. */
class KubernetesSchemaTest {

    private static final String VALID = """
            apiVersion: apps/v1
            kind: Deployment
            metadata:
              name: web
              labels:
                app: web
            spec:
              replicas: 2
              selector:
                matchLabels:
                  app: web
              template:
                metadata:
                  labels:
                    app: web
                spec:
                  containers:
                    - name: web
                      image: example/web:1.0
                      imagePullPolicy: IfNotPresent
                      ports:
                        - name: http
                          containerPort: 8080
                      env:
                        - name: PORT
                          value: "8080"
                      resources:
                        requests:
                          cpu: 100m
                          memory: 64Mi
                      readinessProbe:
                        httpGet:
                          path: /q/health/ready
                          port: http
            """;

    private static ObjectNode doc(String yaml) {
        return Yaml.readAll(yaml, "test").get(0);
    }

    private static String rejected(String yaml) {
        return assertThrows(IllegalArgumentException.class, () -> KubernetesSchema.parse(doc(yaml))).getMessage();
    }

    @Test
    void readsAValidDeploymentIntoItsTypedClass() {
        Deployment deployment = (Deployment) KubernetesSchema.parse(doc(VALID));
        assertEquals(2, deployment.getSpec().getReplicas());
        assertEquals("http", deployment.getSpec().getTemplate().getSpec().getContainers().get(0)
                .getReadinessProbe().getHttpGet().getPort().getStrVal());
    }

    @Test
    void rejectsAMisspelledField() {
        String message = rejected(VALID.replace("imagePullPolicy", "imagePullPolcy"));
        assertTrue(message.contains("imagePullPolcy"), message);
    }

    @Test
    void rejectsAFieldAtTheWrongLevel() {
        String message = rejected(VALID.replace("  replicas: 2", "  replicas: 2\n  containers: []"));
        assertTrue(message.contains("containers"), message);
    }

    @Test
    void rejectsAStringWhereTheSchemaWantsANumber() {
        rejected(VALID.replace("replicas: 2", "replicas: \"2\""));
    }

    @Test
    void rejectsANumberOrBooleanWhereTheSchemaWantsAString() {
        rejected(VALID.replace("value: \"8080\"", "value: 8080"));
        rejected(VALID.replace("app: web\nspec", "app: true\nspec"));
    }

    @Test
    void rejectsUnknownKindsAndApiVersions() {
        assertTrue(rejected(VALID.replace("apps/v1", "apps/v1beta1")).contains("unknown apiVersion/kind"));
        assertTrue(rejected(VALID.replace("kind: Deployment", "kind: Deploymnet")).contains("unknown apiVersion/kind"));
    }
}
