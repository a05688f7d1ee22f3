package dev.sparkgateway.deploy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Where kubectl is installed, the test renderer must produce what {@code kubectl kustomize}
 * produces (same objects, same fields, same scalar types; order aside). Skipped without kubectl:
 * the other tests need no binary.
 */
class KubectlKustomizeTest {

    private static boolean kubectlWorks() {
        try {
            Process p = new ProcessBuilder("kubectl", "version", "--client").redirectErrorStream(true).start();
            p.getInputStream().readAllBytes();
            return p.waitFor(60, TimeUnit.SECONDS) && p.exitValue() == 0;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"base", "overlays/dev", "overlays/production", "examples/sidecar"})
    void rendersWhatKubectlKustomizeRenders(String overlay) throws Exception {
        assumeTrue(kubectlWorks(), "kubectl not installed");
        Process p = new ProcessBuilder("kubectl", "kustomize", Rendered.K8S.resolve(overlay).toString()).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(120, TimeUnit.SECONDS), "kubectl kustomize timed out");
        assertEquals(0, p.exitValue(), err);

        Map<String, ObjectNode> expected = byId(Yaml.readAll(out, "kubectl kustomize " + overlay));
        Map<String, ObjectNode> actual = byId(Kustomize.build(Rendered.K8S.resolve(overlay)));
        assertEquals(expected.keySet(), actual.keySet());
        List<String> differences = new ArrayList<>();
        expected.forEach((id, doc) -> ManifestsTest.diff(doc, actual.get(id), id, differences));
        assertEquals(List.of(), differences);
    }

    private static Map<String, ObjectNode> byId(List<ObjectNode> documents) {
        Map<String, ObjectNode> map = new TreeMap<>();
        documents.forEach(d -> map.put(Kustomize.id(d), d));
        return map;
    }
}
