package dev.sparkgateway.deploy;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.EnvFromSource;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Probe;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecurityContext;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.ServicePort;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscaler;
import io.fabric8.kubernetes.api.model.autoscaling.v2.MetricSpec;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyIngressRule;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyPeer;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyPort;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.fabric8.kubernetes.api.model.rbac.Role;
import io.fabric8.kubernetes.api.model.rbac.RoleBinding;
import io.fabric8.kubernetes.api.model.rbac.Subject;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.Predicate;

import static dev.sparkgateway.deploy.Env.nz;

/**
 * The project's own policy for a rendered overlay, beyond what the schema ({@link KubernetesSchema})
 * and the API server check: required labels, images, resources, health probes and security context,
 * and references between objects that Kubernetes accepts even when they lead nowhere (selectors,
 * ports, ConfigMaps, Secrets, $(VAR)s, GATEWAY_* settings, autoscaler and disruption budget), and
 * the gateway's statement store, credentials and grace period ({@link GatewayRules}).
 * Collects every problem instead of stopping at the first.
 */
final class ManifestRules {

    static final String PART_OF = "spark-connect-gateway";
    static final List<String> REQUIRED_LABELS = List.of(
            "app.kubernetes.io/name", "app.kubernetes.io/component", "app.kubernetes.io/part-of");
    static final String LIVE = "/q/health/live";
    static final String READY = "/q/health/ready";

    private final Rendered rendered;
    private final Set<String> externalSecrets;
    private final Predicate<String> gatewaySettings;
    private final List<String> problems = new ArrayList<>();

    private ManifestRules(Rendered rendered, Set<String> externalSecrets, Predicate<String> gatewaySettings) {
        this.rendered = rendered;
        this.externalSecrets = externalSecrets;
        this.gatewaySettings = gatewaySettings;
    }

    /**
     * Every problem found. {@code externalSecrets}: Secrets that are created outside the overlay
     * and may be referenced without being rendered. {@code gatewaySettings}: whether a GATEWAY_*
     * variable is one the gateway understands (README's configuration table).
     */
    static List<String> check(Rendered rendered, Set<String> externalSecrets, Predicate<String> gatewaySettings) {
        ManifestRules rules = new ManifestRules(rendered, externalSecrets, gatewaySettings);
        rules.objects();
        for (Rendered.PodTemplate template : rendered.podTemplates()) {
            rules.podTemplate(template);
        }
        rendered.all(Deployment.class).forEach(rules::deployment);
        rendered.all(Service.class).forEach(rules::service);
        rendered.all(HorizontalPodAutoscaler.class).forEach(rules::autoscaler);
        rendered.all(PodDisruptionBudget.class).forEach(rules::disruptionBudget);
        rendered.all(NetworkPolicy.class).forEach(rules::networkPolicy);
        rendered.all(RoleBinding.class).forEach(rules::roleBinding);
        rules.problems.addAll(GatewayRules.check(rendered));
        return rules.problems;
    }

    private void problem(String message) {
        problems.add(rendered.name + ": " + message);
    }

    private static String ref(HasMetadata object) {
        return object.getKind() + "/" + object.getMetadata().getName();
    }

    // --- every object ------------------------------------------------------------------------

    private void objects() {
        for (HasMetadata object : rendered.objects) {
            labels(ref(object), object.getMetadata().getLabels());
        }
    }

    private void labels(String where, Map<String, String> labels) {
        Map<String, String> present = labels == null ? Map.of() : labels;
        for (String label : REQUIRED_LABELS) {
            if (!present.containsKey(label) || present.get(label).isBlank()) {
                problem(where + ": missing label " + label);
            }
        }
        if (present.containsKey("app.kubernetes.io/part-of") && !PART_OF.equals(present.get("app.kubernetes.io/part-of"))) {
            problem(where + ": app.kubernetes.io/part-of must be " + PART_OF);
        }
    }

    // --- pods --------------------------------------------------------------------------------

    private void podTemplate(Rendered.PodTemplate template) {
        String owner = template.owner();
        PodSpec pod = template.spec();
        if (pod == null) {
            problem(owner + ": no pod spec");
            return;
        }
        labels(owner + " pod template", template.labels());
        nz(pod.getInitContainers()).forEach(container -> container(template, container));
        nz(pod.getContainers()).forEach(container -> container(template, container));
        for (Volume volume : nz(pod.getVolumes())) {
            if (volume.getConfigMap() != null) {
                String name = volume.getConfigMap().getName();
                var configMap = rendered.find(ConfigMap.class, name);
                if (configMap.isEmpty()) {
                    problem(owner + ": volume " + volume.getName() + " mounts ConfigMap " + name + ", which is not rendered");
                } else {
                    nz(volume.getConfigMap().getItems()).stream()
                            .filter(item -> configMap.get().getData() == null || !configMap.get().getData().containsKey(item.getKey()))
                            .forEach(item -> problem(owner + ": volume " + volume.getName() + " wants key " + item.getKey()
                                    + " missing from ConfigMap " + name));
                }
            }
            if (volume.getSecret() != null) {
                secretExists(owner + " volume " + volume.getName(), volume.getSecret().getSecretName(), null);
            }
        }
        String serviceAccount = pod.getServiceAccountName();
        if (serviceAccount != null && !serviceAccount.equals("default")
                && rendered.find(ServiceAccount.class, serviceAccount).isEmpty()) {
            problem(owner + ": serviceAccountName " + serviceAccount + " is not rendered");
        }
    }

    private void container(Rendered.PodTemplate template, Container container) {
        PodSpec pod = template.spec();
        String where = template.owner() + " container " + container.getName();
        if (template.workload()) {
            image(where, container.getImage());
            resources(where, container);
        }
        boolean server = !nz(container.getPorts()).isEmpty();
        if (template.workload() && server) {
            if (container.getReadinessProbe() == null) {
                problem(where + ": serves ports but has no readinessProbe");
            }
            if (container.getLivenessProbe() == null) {
                problem(where + ": serves ports but has no livenessProbe");
            }
        }
        probe(where + " startupProbe", container, container.getStartupProbe(), null);
        probe(where + " readinessProbe", container, container.getReadinessProbe(), READY);
        probe(where + " livenessProbe", container, container.getLivenessProbe(), LIVE);
        environment(where, container);
        security(where, pod, container);
    }

    private void image(String where, String image) {
        if (image == null || image.isBlank()) {
            problem(where + ": no image");
            return;
        }
        String last = image.substring(image.lastIndexOf('/') + 1);
        if (!last.contains(":") && !last.contains("@")) {
            problem(where + ": image " + image + " has no tag or digest");
        }
        if (image.endsWith(":latest")) {
            problem(where + ": image " + image + " uses :latest (set the tag with kustomize images:)");
        }
    }

    private void resources(String where, Container container) {
        var resources = container.getResources();
        Map<String, Quantity> requests = resources == null || resources.getRequests() == null ? Map.of() : resources.getRequests();
        Map<String, Quantity> limits = resources == null || resources.getLimits() == null ? Map.of() : resources.getLimits();
        for (String required : List.of("cpu", "memory")) {
            if (!requests.containsKey(required)) {
                problem(where + ": no resources.requests." + required);
            }
        }
        if (!limits.containsKey("memory")) {
            problem(where + ": no resources.limits.memory");
        }
    }

    private void probe(String where, Container container, Probe probe, String expectedPath) {
        if (probe == null) {
            return;
        }
        if (probe.getHttpGet() != null) {
            String path = probe.getHttpGet().getPath();
            if (!LIVE.equals(path) && !READY.equals(path)) {
                problem(where + ": path " + path + " is neither " + LIVE + " nor " + READY);
            } else if (expectedPath != null && !expectedPath.equals(path)) {
                problem(where + ": path " + path + ", expected " + expectedPath);
            }
            portDeclared(where, container, probe.getHttpGet().getPort());
        }
        if (probe.getTcpSocket() != null) {
            portDeclared(where, container, probe.getTcpSocket().getPort());
        }
        if (probe.getGrpc() != null) {
            portDeclared(where, container, new IntOrString(probe.getGrpc().getPort()));
        }
    }

    private void portDeclared(String where, Container container, IntOrString port) {
        if (!declares(container, port)) {
            problem(where + ": port " + text(port) + " is not a containerPort of " + container.getName());
        }
    }

    static boolean declares(Container container, IntOrString port) {
        if (port == null) {
            return false;
        }
        for (ContainerPort declared : nz(container.getPorts())) {
            if (port.getIntVal() != null ? port.getIntVal().equals(declared.getContainerPort())
                    : Objects.equals(port.getStrVal(), declared.getName())) {
                return true;
            }
        }
        return false;
    }

    static String text(IntOrString value) {
        return value == null ? "null" : value.getIntVal() != null ? value.getIntVal().toString() : value.getStrVal();
    }

    private void environment(String where, Container container) {
        for (EnvVar var : nz(container.getEnv())) {
            var from = var.getValueFrom();
            if (from != null) {
                if (from.getConfigMapKeyRef() != null) {
                    String name = from.getConfigMapKeyRef().getName();
                    String key = from.getConfigMapKeyRef().getKey();
                    var configMap = rendered.find(ConfigMap.class, name);
                    if (configMap.isEmpty() || configMap.get().getData() == null || !configMap.get().getData().containsKey(key)) {
                        problem(where + ": env " + var.getName() + " refers to ConfigMap " + name + " key " + key + ", not rendered");
                    }
                }
                if (from.getSecretKeyRef() != null) {
                    secretExists(where + " env " + var.getName(), from.getSecretKeyRef().getName(), from.getSecretKeyRef().getKey());
                }
            }
        }
        for (EnvFromSource from : nz(container.getEnvFrom())) {
            if (from.getConfigMapRef() != null && rendered.find(ConfigMap.class, from.getConfigMapRef().getName()).isEmpty()) {
                problem(where + ": envFrom ConfigMap " + from.getConfigMapRef().getName() + " is not rendered");
            }
            if (from.getSecretRef() != null) {
                secretExists(where + " envFrom", from.getSecretRef().getName(), null);
            }
        }
        Map<String, Env.Entry> env = Env.of(container, rendered);
        List<String> texts = new ArrayList<>(nz(container.getCommand()));
        texts.addAll(nz(container.getArgs()));
        nz(container.getEnv()).stream().map(EnvVar::getValue).filter(Objects::nonNull).forEach(texts::add);
        for (String text : texts) {
            for (String reference : Env.references(text)) {
                if (!env.containsKey(reference)) {
                    problem(where + ": $(" + reference + ") is not defined in the container's environment");
                }
            }
        }
        for (Env.Entry entry : env.values()) {
            if (entry.name().startsWith("GATEWAY_") && !gatewaySettings.test(entry.name())) {
                problem(where + ": " + entry.name() + " (from " + entry.source() + ") is not a gateway setting of README.md");
            }
        }
    }

    private void secretExists(String where, String name, String key) {
        var secret = rendered.find(Secret.class, name);
        if (secret.isEmpty()) {
            if (!externalSecrets.contains(name)) {
                problem(where + ": Secret " + name + " is neither rendered nor an allowed external Secret");
            }
            return;
        }
        if (key != null) {
            boolean inData = secret.get().getData() != null && secret.get().getData().containsKey(key);
            boolean inStringData = secret.get().getStringData() != null && secret.get().getStringData().containsKey(key);
            if (!inData && !inStringData) {
                problem(where + ": Secret " + name + " has no key " + key);
            }
        }
    }

    private void security(String where, PodSpec pod, Container container) {
        SecurityContext context = container.getSecurityContext();
        Boolean containerNonRoot = context == null ? null : context.getRunAsNonRoot();
        Boolean podNonRoot = pod.getSecurityContext() == null ? null : pod.getSecurityContext().getRunAsNonRoot();
        if (!Boolean.TRUE.equals(containerNonRoot != null ? containerNonRoot : podNonRoot)) {
            problem(where + ": runAsNonRoot is not true");
        }
        Long uid = context != null && context.getRunAsUser() != null ? context.getRunAsUser()
                : pod.getSecurityContext() == null ? null : pod.getSecurityContext().getRunAsUser();
        if (uid != null && uid == 0) {
            problem(where + ": runs as uid 0");
        }
        if (context == null || !Boolean.FALSE.equals(context.getAllowPrivilegeEscalation())) {
            problem(where + ": allowPrivilegeEscalation is not false");
        }
        if (context == null || context.getCapabilities() == null || !nz(context.getCapabilities().getDrop()).contains("ALL")) {
            problem(where + ": capabilities do not drop ALL");
        }
    }

    // --- workloads and what points at them -----------------------------------------------------

    private void deployment(Deployment deployment) {
        Integer replicas = deployment.getSpec().getReplicas();
        if (replicas == null || replicas < 1) {
            problem(ref(deployment) + ": replicas must be at least 1");
        }
        // Overlapping selectors make two controllers fight over the same pods.
        for (Deployment other : rendered.all(Deployment.class)) {
            if (other != deployment && Rendered.matches(deployment.getSpec().getSelector(),
                    other.getSpec().getTemplate().getMetadata().getLabels())) {
                problem(ref(deployment) + ": selector also matches the pods of " + ref(other));
            }
        }
    }

    private void service(Service service) {
        var spec = service.getSpec();
        String where = ref(service);
        List<Rendered.PodTemplate> selected = rendered.podTemplatesSelectedBy(spec.getSelector());
        if (selected.stream().noneMatch(Rendered.PodTemplate::workload)) {
            problem(where + ": selector " + spec.getSelector() + " matches no pod template");
        }
        for (ServicePort port : nz(spec.getPorts())) {
            IntOrString target = port.getTargetPort() != null ? port.getTargetPort() : new IntOrString(port.getPort());
            for (Rendered.PodTemplate template : selected) {
                boolean found = nz(template.spec().getContainers()).stream().anyMatch(c -> declares(c, target));
                if (!found) {
                    problem(where + ": targetPort " + text(target) + " is not a containerPort of selected " + template.owner());
                }
            }
        }
    }

    private void autoscaler(HorizontalPodAutoscaler hpa) {
        var spec = hpa.getSpec();
        String where = ref(hpa);
        var target = spec.getScaleTargetRef();
        Deployment deployment = null;
        if (!"Deployment".equals(target.getKind()) || !"apps/v1".equals(target.getApiVersion())) {
            problem(where + ": scaleTargetRef must be an apps/v1 Deployment");
        } else {
            deployment = rendered.find(Deployment.class, target.getName()).orElse(null);
            if (deployment == null) {
                problem(where + ": scaleTargetRef Deployment " + target.getName() + " is not rendered");
            }
        }
        int min = spec.getMinReplicas() == null ? 1 : spec.getMinReplicas();
        if (deployment != null && !Objects.equals(deployment.getSpec().getReplicas(), min)) {
            problem(where + ": minReplicas " + min + " differs from " + ref(deployment) + " replicas "
                    + deployment.getSpec().getReplicas() + " (each apply would fight the autoscaler)");
        }
        if (nz(spec.getMetrics()).isEmpty()) {
            problem(where + ": no metrics");
        }
        for (MetricSpec metric : nz(spec.getMetrics())) {
            if ("Resource".equals(metric.getType())) {
                String resource = metric.getResource().getName();
                String type = metric.getResource().getTarget().getType();
                if ("Utilization".equals(type) && deployment != null) {
                    for (Container container : deployment.getSpec().getTemplate().getSpec().getContainers()) {
                        var requests = container.getResources() == null ? null : container.getResources().getRequests();
                        if (requests == null || !requests.containsKey(resource)) {
                            problem(where + ": " + resource + " utilization needs requests." + resource + " on container "
                                    + container.getName());
                        }
                    }
                }
            }
        }
    }

    private void disruptionBudget(PodDisruptionBudget budget) {
        var spec = budget.getSpec();
        String where = ref(budget);
        List<Deployment> covered = rendered.all(Deployment.class).stream()
                .filter(d -> Rendered.matches(spec.getSelector(), d.getSpec().getTemplate().getMetadata().getLabels()))
                .toList();
        if (covered.isEmpty()) {
            problem(where + ": selector matches no Deployment's pods");
        }
        if (spec.getMinAvailable() != null && spec.getMinAvailable().getIntVal() != null) {
            int replicas = covered.stream().mapToInt(d -> d.getSpec().getReplicas()).sum();
            if (spec.getMinAvailable().getIntVal() >= replicas && replicas > 0) {
                problem(where + ": minAvailable " + spec.getMinAvailable().getIntVal() + " with " + replicas
                        + " replica(s) would block every voluntary eviction (node drains)");
            }
        }
    }

    private void networkPolicy(NetworkPolicy policy) {
        var spec = policy.getSpec();
        String where = ref(policy);
        List<Rendered.PodTemplate> selected = rendered.podTemplatesSelectedBy(spec.getPodSelector());
        if (selected.isEmpty()) {
            problem(where + ": podSelector matches no pod template");
        }
        for (NetworkPolicyIngressRule rule : nz(spec.getIngress())) {
            for (NetworkPolicyPeer peer : nz(rule.getFrom())) {
                if (peer.getPodSelector() != null && peer.getNamespaceSelector() == null
                        && rendered.podTemplatesSelectedBy(peer.getPodSelector()).isEmpty()) {
                    problem(where + ": from.podSelector " + peer.getPodSelector().getMatchLabels() + " matches no pod template");
                }
            }
            for (NetworkPolicyPort port : nz(rule.getPorts())) {
                Predicate<Rendered.PodTemplate> declaresPort = t -> nz(t.spec().getContainers()).stream()
                        .anyMatch(c -> declares(c, port.getPort()));
                if (port.getPort() != null && selected.stream().noneMatch(declaresPort)) {
                    problem(where + ": port " + text(port.getPort()) + " is not a containerPort of any selected pod");
                }
            }
        }
    }

    private void roleBinding(RoleBinding binding) {
        var roleRef = binding.getRoleRef();
        if (!"rbac.authorization.k8s.io".equals(roleRef.getApiGroup()) || !"Role".equals(roleRef.getKind())
                || rendered.find(Role.class, roleRef.getName()).isEmpty()) {
            problem(ref(binding) + ": roleRef " + roleRef.getKind() + "/" + roleRef.getName() + " is not a rendered Role");
        }
        for (Subject subject : nz(binding.getSubjects())) {
            if ("ServiceAccount".equals(subject.getKind())) {
                if (rendered.find(ServiceAccount.class, subject.getName()).isEmpty()) {
                    problem(ref(binding) + ": subject ServiceAccount " + subject.getName() + " is not rendered");
                }
                if (subject.getNamespace() != null && !subject.getNamespace().equals(binding.getMetadata().getNamespace())) {
                    problem(ref(binding) + ": subject namespace " + subject.getNamespace() + " is not the binding's");
                }
            }
        }
        if (nz(binding.getSubjects()).isEmpty()) {
            problem(ref(binding) + ": no subjects");
        }
    }
}
