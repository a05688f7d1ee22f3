package dev.sparkgateway.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The test renderer itself, on small kustomizations in a temporary directory. */
class KustomizeTest {

    @TempDir
    Path dir;

    private void write(String path, String yaml) throws IOException {
        Path file = dir.resolve(path);
        Files.createDirectories(file.getParent());
        Files.writeString(file, yaml);
    }

    private static final String DEPLOYMENT = """
            apiVersion: apps/v1
            kind: Deployment
            metadata:
              name: web
            spec:
              replicas: 2
              template:
                spec:
                  containers:
                    - name: web
                      image: example/web:1.0
                      args: ["--a", "--b"]
                      env:
                        - name: A
                          value: "1"
                        - name: B
                          value: "2"
                      resources:
                        requests:
                          cpu: 100m
                    - name: side
                      image: example/side@sha256:abc
            """;

    private void base() throws IOException {
        write("base/kustomization.yaml", """
                resources:
                  - deployment.yaml
                  - more
                """);
        write("base/deployment.yaml", DEPLOYMENT);
        write("base/more/kustomization.yaml", "resources: [cm.yaml]\n");
        write("base/more/cm.yaml", """
                apiVersion: v1
                kind: ConfigMap
                metadata:
                  name: settings
                data:
                  X: "1"
                  Y: "2"
                ---
                apiVersion: v1
                kind: Namespace
                metadata:
                  name: ignored-by-namespace
                """);
    }

    private ObjectNode find(List<ObjectNode> resources, String kind) {
        return resources.stream().filter(r -> r.path("kind").asText().equals(kind)).findFirst().orElseThrow();
    }

    @Test
    void rendersFilesAndNestedDirectoriesInOrder() throws IOException {
        base();
        List<ObjectNode> resources = Kustomize.build(dir.resolve("base"));
        assertEquals(List.of("Deployment", "ConfigMap", "Namespace"), resources.stream().map(r -> r.path("kind").asText()).toList());
    }

    @Test
    void appliesPatchesThenNamespaceThenImages() throws IOException {
        base();
        write("overlay/kustomization.yaml", """
                namespace: team
                resources: [../base]
                images:
                  - name: example/web
                    newName: registry.example.com/web
                    newTag: "2.0"
                  - name: example/side
                    digest: sha256:def
                patches:
                  - path: patch.yaml
                  - patch: |
                      apiVersion: v1
                      kind: ConfigMap
                      metadata:
                        name: settings
                      data:
                        X: null
                        Z: "3"
                """);
        write("overlay/patch.yaml", """
                apiVersion: apps/v1
                kind: Deployment
                metadata:
                  name: web
                spec:
                  replicas: 1
                  template:
                    spec:
                      containers:
                        - name: web
                          args: ["--c"]
                          env:
                            - name: B
                              value: "20"
                            - name: C
                              value: "3"
                          resources:
                            requests:
                              memory: 64Mi
                        - name: extra
                          image: example/extra:1
                """);
        List<ObjectNode> resources = Kustomize.build(dir.resolve("overlay"));
        ObjectNode deployment = find(resources, "Deployment");
        assertEquals(1, deployment.at("/spec/replicas").asInt());
        JsonNode containers = deployment.at("/spec/template/spec/containers");
        assertEquals(3, containers.size(), "merged by name, new container appended");
        JsonNode web = containers.get(0);
        assertEquals("registry.example.com/web:2.0", web.get("image").asText());
        assertEquals("[\"--c\"]", web.get("args").toString(), "lists without merge key are replaced");
        assertEquals("[{\"name\":\"A\",\"value\":\"1\"},{\"name\":\"B\",\"value\":\"20\"},{\"name\":\"C\",\"value\":\"3\"}]",
                web.get("env").toString());
        assertEquals("{\"cpu\":\"100m\",\"memory\":\"64Mi\"}", web.at("/resources/requests").toString());
        assertEquals("example/side@sha256:def", containers.get(1).get("image").asText());
        assertEquals("example/extra:1", containers.get(2).get("image").asText());
        assertEquals("team", deployment.at("/metadata/namespace").asText());

        ObjectNode configMap = find(resources, "ConfigMap");
        assertEquals("{\"Y\":\"2\",\"Z\":\"3\"}", configMap.get("data").toString(), "null deletes a key");
        assertFalse(find(resources, "Namespace").path("metadata").has("namespace"), "cluster-scoped");
    }

    @Test
    void retagsOnlyMatchingImageNames() {
        var rule = Yaml.MAPPER.createObjectNode().put("name", "spark").put("newTag", "4");
        assertEquals("spark:4", Kustomize.retag("spark:3", rule));
        assertEquals("spark:4", Kustomize.retag("spark", rule));
        assertEquals("apache/spark:3", Kustomize.retag("apache/spark:3", rule));
        assertEquals("sparkling:3", Kustomize.retag("sparkling:3", rule));
        var rename = Yaml.MAPPER.createObjectNode().put("name", "localhost:5000/app").put("newName", "r.io/app");
        assertEquals("r.io/app:7", Kustomize.retag("localhost:5000/app:7", rename));
    }

    @Test
    void rejectsWhatItDoesNotImplement() throws IOException {
        base();
        for (String field : List.of("namePrefix: x-", "commonLabels: {a: b}", "configMapGenerator: []", "replicas: []")) {
            write("bad/kustomization.yaml", "resources: [../base]\n" + field + "\n");
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Kustomize.build(dir.resolve("bad")));
            assertTrue(e.getMessage().contains("not supported"), e.getMessage());
        }
        write("bad/kustomization.yaml", "resources: [../base]\npatches:\n  - path: p.yaml\n    target: {kind: Deployment}\n");
        assertThrows(IllegalArgumentException.class, () -> Kustomize.build(dir.resolve("bad")));
        write("bad/kustomization.yaml", "resources: [../base]\npatches:\n  - path: p.yaml\n");
        write("bad/p.yaml", "apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: web}\nspec:\n  $patch: replace\n");
        assertThrows(IllegalArgumentException.class, () -> Kustomize.build(dir.resolve("bad")));
    }

    @Test
    void failsOnMissingPatchTargetsDuplicatesAndCycles() throws IOException {
        base();
        write("bad/kustomization.yaml", "resources: [../base]\npatches:\n  - path: p.yaml\n");
        write("bad/p.yaml", "apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: nope}\nspec: {replicas: 1}\n");
        assertTrue(assertThrows(IllegalArgumentException.class, () -> Kustomize.build(dir.resolve("bad")))
                .getMessage().contains("no Deployment named nope"));

        write("dup/kustomization.yaml", "resources: [../base, ../base/deployment.yaml]\n");
        assertTrue(assertThrows(IllegalArgumentException.class, () -> Kustomize.build(dir.resolve("dup")))
                .getMessage().contains("defined twice"));

        write("a/kustomization.yaml", "resources: [../b]\n");
        write("b/kustomization.yaml", "resources: [../a]\n");
        assertTrue(assertThrows(IllegalArgumentException.class, () -> Kustomize.build(dir.resolve("a")))
                .getMessage().contains("cycle"));

        write("dupkey/kustomization.yaml", "resources: [x.yaml]\n");
        write("dupkey/x.yaml", "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: a}\ndata: {K: \"1\", K: \"2\"}\n");
        assertThrows(IllegalArgumentException.class, () -> Kustomize.build(dir.resolve("dupkey")));
    }

    @Test
    void everyKustomizationInTheRepositoryUsesOnlySupportedFields() throws IOException {
        try (var files = Files.walk(Rendered.K8S)) {
            List<Path> kustomizations = files.filter(p -> p.getFileName().toString().equals("kustomization.yaml")).toList();
            assertTrue(kustomizations.size() >= 6, kustomizations.toString());
            for (Path file : kustomizations) {
                Yaml.readOne(file).fieldNames().forEachRemaining(field ->
                        assertTrue(Kustomize.SUPPORTED_FIELDS.contains(field), file + ": " + field));
                // Each one renders on its own, too (bases included).
                assertFalse(Kustomize.build(file.getParent()).isEmpty(), file.toString());
            }
        }
    }
}
