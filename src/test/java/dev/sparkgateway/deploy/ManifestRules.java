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
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscaler;
import io.fabric8.kubernetes.api.model.autoscaling.v2.MetricSpec;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyIngressRule;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyPeer;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyPort;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.fabric8.kubernetes.api.model.rbac.PolicyRule;
import io.fabric8.kubernetes.api.model.rbac.Role;
import io.fabric8.kubernetes.api.model.rbac.RoleBinding;
import io.fabric8.kubernetes.api.model.rbac.Subject;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.Predicate;
import java.util.regex.Pattern;

import static dev.sparkgateway.deploy.Env.nz;

/**
 * Checks on a rendered overlay that the typed schema cannot express: fields the API server
 * requires or validates (selectors matching templates, names, port names, probe handlers),
 * required fields of this project (labels, resources, probes, security context), and
 * cross-references between objects. Collects every problem instead of stopping at the first.
 */
final class ManifestRules {

    static final String PART_OF = "spark-connect-gateway";
    static final List<String> REQUIRED_LABELS = List.of(
            "app.kubernetes.io/name", "app.kubernetes.io/component", "app.kubernetes.io/part-of");
    static final String LIVE = "/q/health/live";
    static final String READY = "/q/health/ready";

    private static final Pattern DNS_LABEL = Pattern.compile("[a-z0-9]([-a-z0-9]*[a-z0-9])?");
    private static final Pattern DNS_1035_LABEL = Pattern.compile("[a-z]([-a-z0-9]*[a-z0-9])?");
    private static final Pattern DNS_SUBDOMAIN = Pattern.compile("[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*");
    private static final Pattern LABEL_NAME = Pattern.compile("([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]");
    private static final Pattern PORT_NAME = Pattern.compile("[a-z0-9]([a-z0-9-]*[a-z0-9])?");
    private static final Pattern ENV_NAME = Pattern.compile("[-._a-zA-Z][-._a-zA-Z0-9]*");
    private static final Pattern CONFIG_KEY = Pattern.compile("[-._a-zA-Z0-9]+");
    private static final Set<String> PROTOCOLS = Set.of("TCP", "UDP", "SCTP");
    private static final Set<String> RBAC_VERBS = Set.of("get", "list", "watch", "create", "update", "patch",
            "delete", "deletecollection", "*");

    private final Rendered rendered;
    private final Set<String> externalSecrets;
    private final Set<String> gatewayEnvNames;
    private final List<String> problems = new ArrayList<>();

    private ManifestRules(Rendered rendered, Set<String> externalSecrets, Set<String> gatewayEnvNames) {
        this.rendered = rendered;
        this.externalSecrets = externalSecrets;
        this.gatewayEnvNames = gatewayEnvNames;
    }

    /**
     * Every problem found. {@code externalSecrets}: Secrets that are created outside the overlay
     * and may be referenced without being rendered. {@code gatewayEnvNames}: the GATEWAY_*
     * variables the gateway understands (from README's configuration table).
     */
    static List<String> check(Rendered rendered, Set<String> externalSecrets, Set<String> gatewayEnvNames) {
        ManifestRules rules = new ManifestRules(rendered, externalSecrets, gatewayEnvNames);
        rules.objects();
        for (Rendered.PodTemplate template : rendered.podTemplates()) {
            rules.podTemplate(template);
        }
        rendered.all(Deployment.class).forEach(rules::deployment);
        rendered.all(Service.class).forEach(rules::service);
        rendered.all(HorizontalPodAutoscaler.class).forEach(rules::autoscaler);
        rendered.all(PodDisruptionBudget.class).forEach(rules::disruptionBudget);
        rendered.all(NetworkPolicy.class).forEach(rules::networkPolicy);
        rendered.all(Role.class).forEach(rules::role);
        rendered.all(RoleBinding.class).forEach(rules::roleBinding);
        rendered.all(ConfigMap.class).forEach(rules::configMap);
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
            String name = object.getMetadata().getName();
            boolean dns1035 = object instanceof Service;
            Pattern pattern = dns1035 ? DNS_1035_LABEL : DNS_SUBDOMAIN;
            if (name == null || !pattern.matcher(name).matches() || name.length() > (dns1035 ? 63 : 253)) {
                problem(ref(object) + ": invalid name (" + (dns1035 ? "DNS-1035 label" : "DNS-1123 subdomain") + ")");
            }
            String namespace = object.getMetadata().getNamespace();
            if (namespace != null && (!DNS_LABEL.matcher(namespace).matches() || namespace.length() > 63)) {
                problem(ref(object) + ": invalid namespace " + namespace);
            }
            labels(ref(object), object.getMetadata().getLabels());
            labelSyntax(ref(object) + " annotations", object.getMetadata().getAnnotations(), false);
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
        labelSyntax(where, present, true);
    }

    private void labelSyntax(String where, Map<String, String> entries, boolean checkValues) {
        if (entries == null) {
            return;
        }
        entries.forEach((key, value) -> {
            int slash = key.indexOf('/');
            String prefix = slash < 0 ? null : key.substring(0, slash);
            String name = slash < 0 ? key : key.substring(slash + 1);
            if ((prefix != null && (!DNS_SUBDOMAIN.matcher(prefix).matches() || prefix.length() > 253))
                    || !LABEL_NAME.matcher(name).matches() || name.length() > 63) {
                problem(where + ": invalid key " + key);
            }
            if (checkValues && !value.isEmpty() && (!LABEL_NAME.matcher(value).matches() || value.length() > 63)) {
                problem(where + ": invalid label value " + key + "=" + value);
            }
        });
    }

    private void configMap(ConfigMap configMap) {
        if (configMap.getData() != null) {
            configMap.getData().keySet().stream().filter(k -> !CONFIG_KEY.matcher(k).matches())
                    .forEach(k -> problem(ref(configMap) + ": invalid key " + k));
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
        if (template.workload() && nz(pod.getContainers()).isEmpty()) {
            problem(owner + ": no containers");
        }
        Set<String> containerNames = new HashSet<>();
        Set<String> portNames = new HashSet<>();
        Set<Integer> portNumbers = new HashSet<>();
        List<Container> all = new ArrayList<>(nz(pod.getInitContainers()));
        all.addAll(nz(pod.getContainers()));
        for (Container container : all) {
            if (!containerNames.add(container.getName())) {
                problem(owner + ": duplicate container name " + container.getName());
            }
            for (ContainerPort port : nz(container.getPorts())) {
                if (port.getName() != null && !portNames.add(port.getName())) {
                    problem(owner + ": duplicate port name " + port.getName());
                }
                if (port.getContainerPort() != null && !portNumbers.add(port.getContainerPort())) {
                    problem(owner + ": duplicate containerPort " + port.getContainerPort());
                }
            }
            container(template, container);
        }
        Set<String> volumeNames = new HashSet<>();
        for (Volume volume : nz(pod.getVolumes())) {
            if (!volumeNames.add(volume.getName())) {
                problem(owner + ": duplicate volume " + volume.getName());
            }
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
        for (Container container : all) {
            for (VolumeMount mount : nz(container.getVolumeMounts())) {
                if (!volumeNames.contains(mount.getName())) {
                    problem(owner + " container " + container.getName() + ": mounts unknown volume " + mount.getName());
                }
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
        if (container.getName() == null || !DNS_LABEL.matcher(container.getName()).matches()) {
            problem(where + ": invalid container name");
        }
        if (template.workload()) {
            image(where, container.getImage());
            resources(where, container);
        }
        for (ContainerPort port : nz(container.getPorts())) {
            if (port.getContainerPort() == null || port.getContainerPort() < 1 || port.getContainerPort() > 65535) {
                problem(where + ": containerPort out of range: " + port.getContainerPort());
            }
            if (port.getName() != null && !portName(port.getName())) {
                problem(where + ": invalid port name " + port.getName() + " (IANA service name, at most 15 characters)");
            }
            if (port.getProtocol() != null && !PROTOCOLS.contains(port.getProtocol())) {
                problem(where + ": unknown protocol " + port.getProtocol());
            }
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
        for (var entry : requests.entrySet()) {
            BigDecimal request = amount(where + " requests." + entry.getKey(), entry.getValue());
            Quantity limit = limits.get(entry.getKey());
            BigDecimal limitAmount = limit == null ? null : amount(where + " limits." + entry.getKey(), limit);
            if (request != null && limitAmount != null && request.compareTo(limitAmount) > 0) {
                problem(where + ": request " + entry.getKey() + " " + entry.getValue() + " exceeds its limit " + limit);
            }
        }
        limits.forEach((name, quantity) -> amount(where + " limits." + name, quantity));
    }

    private BigDecimal amount(String where, Quantity quantity) {
        try {
            return quantity.getNumericalAmount();
        } catch (RuntimeException e) {
            problem(where + ": invalid quantity " + quantity);
            return null;
        }
    }

    private void probe(String where, Container container, Probe probe, String expectedPath) {
        if (probe == null) {
            return;
        }
        int handlers = (probe.getHttpGet() != null ? 1 : 0) + (probe.getTcpSocket() != null ? 1 : 0)
                + (probe.getExec() != null ? 1 : 0) + (probe.getGrpc() != null ? 1 : 0);
        if (handlers != 1) {
            problem(where + ": needs exactly one handler, has " + handlers);
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
        Set<String> names = new HashSet<>();
        for (EnvVar var : nz(container.getEnv())) {
            if (var.getName() == null || !ENV_NAME.matcher(var.getName()).matches()) {
                problem(where + ": invalid env name " + var.getName());
            }
            if (!names.add(var.getName())) {
                problem(where + ": env " + var.getName() + " defined twice");
            }
            if (var.getValue() != null && var.getValueFrom() != null) {
                problem(where + ": env " + var.getName() + " has both value and valueFrom");
            }
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
            if (entry.name().startsWith("GATEWAY_") && !gatewayEnvNames.contains(entry.name())) {
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

    private static boolean portName(String name) {
        return name.length() <= 15 && PORT_NAME.matcher(name).matches() && name.chars().anyMatch(Character::isLetter)
                && !name.contains("--");
    }

    // --- workloads and what points at them -----------------------------------------------------

    private void deployment(Deployment deployment) {
        var spec = deployment.getSpec();
        var selector = spec.getSelector();
        var templateLabels = spec.getTemplate().getMetadata() == null ? null : spec.getTemplate().getMetadata().getLabels();
        if (selector == null || ((selector.getMatchLabels() == null || selector.getMatchLabels().isEmpty())
                && nz(selector.getMatchExpressions()).isEmpty())) {
            problem(ref(deployment) + ": no spec.selector");
        } else if (!Rendered.matches(selector, templateLabels == null ? Map.of() : templateLabels)) {
            problem(ref(deployment) + ": spec.selector does not match its own template labels");
        }
        if (spec.getReplicas() == null || spec.getReplicas() < 1) {
            problem(ref(deployment) + ": replicas must be at least 1");
        }
        if (spec.getStrategy() != null && spec.getStrategy().getType() != null
                && !Set.of("Recreate", "RollingUpdate").contains(spec.getStrategy().getType())) {
            problem(ref(deployment) + ": unknown strategy " + spec.getStrategy().getType());
        }
    }

    private void service(Service service) {
        var spec = service.getSpec();
        String where = ref(service);
        if (spec.getType() != null && !Set.of("ClusterIP", "NodePort", "LoadBalancer", "ExternalName").contains(spec.getType())) {
            problem(where + ": unknown type " + spec.getType());
        }
        List<Rendered.PodTemplate> selected = rendered.podTemplatesSelectedBy(spec.getSelector());
        if (selected.stream().noneMatch(Rendered.PodTemplate::workload)) {
            problem(where + ": selector " + spec.getSelector() + " matches no pod template");
        }
        List<ServicePort> ports = nz(spec.getPorts());
        if (ports.isEmpty()) {
            problem(where + ": no ports");
        }
        Set<String> names = new HashSet<>();
        for (ServicePort port : ports) {
            if (ports.size() > 1 && port.getName() == null) {
                problem(where + ": ports need names when there are several");
            }
            if (port.getName() != null && (!portName(port.getName()) || !names.add(port.getName()))) {
                problem(where + ": invalid or duplicate port name " + port.getName());
            }
            if (port.getPort() == null || port.getPort() < 1 || port.getPort() > 65535) {
                problem(where + ": port out of range: " + port.getPort());
            }
            if (port.getProtocol() != null && !PROTOCOLS.contains(port.getProtocol())) {
                problem(where + ": unknown protocol " + port.getProtocol());
            }
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
        if (min < 1 || spec.getMaxReplicas() == null || spec.getMaxReplicas() < min) {
            problem(where + ": needs 1 <= minReplicas <= maxReplicas");
        }
        if (deployment != null && !Objects.equals(deployment.getSpec().getReplicas(), min)) {
            problem(where + ": minReplicas " + min + " differs from " + ref(deployment) + " replicas "
                    + deployment.getSpec().getReplicas() + " (each apply would fight the autoscaler)");
        }
        if (nz(spec.getMetrics()).isEmpty()) {
            problem(where + ": no metrics");
        }
        for (MetricSpec metric : nz(spec.getMetrics())) {
            if (!Set.of("Resource", "ContainerResource", "Pods", "Object", "External").contains(metric.getType())) {
                problem(where + ": unknown metric type " + metric.getType());
                continue;
            }
            if ("Resource".equals(metric.getType())) {
                String resource = metric.getResource().getName();
                String type = metric.getResource().getTarget().getType();
                if (!Set.of("Utilization", "AverageValue", "Value").contains(type)) {
                    problem(where + ": unknown target type " + type);
                }
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
        if ((spec.getMinAvailable() == null) == (spec.getMaxUnavailable() == null)) {
            problem(where + ": needs exactly one of minAvailable and maxUnavailable");
        }
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
        for (String type : nz(spec.getPolicyTypes())) {
            if (!Set.of("Ingress", "Egress").contains(type)) {
                problem(where + ": unknown policy type " + type);
            }
        }
        for (NetworkPolicyIngressRule rule : nz(spec.getIngress())) {
            for (NetworkPolicyPeer peer : nz(rule.getFrom())) {
                if (peer.getPodSelector() != null && peer.getNamespaceSelector() == null
                        && rendered.podTemplatesSelectedBy(peer.getPodSelector()).isEmpty()) {
                    problem(where + ": from.podSelector " + peer.getPodSelector().getMatchLabels() + " matches no pod template");
                }
            }
            for (NetworkPolicyPort port : nz(rule.getPorts())) {
                if (port.getProtocol() != null && !PROTOCOLS.contains(port.getProtocol())) {
                    problem(where + ": unknown protocol " + port.getProtocol());
                }
                Predicate<Rendered.PodTemplate> declaresPort = t -> nz(t.spec().getContainers()).stream()
                        .anyMatch(c -> declares(c, port.getPort()));
                if (port.getPort() != null && selected.stream().noneMatch(declaresPort)) {
                    problem(where + ": port " + text(port.getPort()) + " is not a containerPort of any selected pod");
                }
            }
        }
    }

    private void role(Role role) {
        if (nz(role.getRules()).isEmpty()) {
            problem(ref(role) + ": no rules");
        }
        for (PolicyRule rule : nz(role.getRules())) {
            if (nz(rule.getResources()).isEmpty() || nz(rule.getVerbs()).isEmpty() || rule.getApiGroups() == null) {
                problem(ref(role) + ": a rule needs apiGroups, resources and verbs");
            }
            nz(rule.getVerbs()).stream().filter(v -> !RBAC_VERBS.contains(v))
                    .forEach(v -> problem(ref(role) + ": unknown verb " + v));
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
