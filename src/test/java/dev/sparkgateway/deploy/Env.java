package dev.sparkgateway.deploy;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvFromSource;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.EnvVarSource;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** A container's environment as Kubernetes builds it: envFrom first, then env (which wins). */
final class Env {

    /** One variable: {@code value} is null when only known at run time (Secret, field reference). */
    record Entry(String name, String value, String source) {
    }

    private static final Pattern REFERENCE = Pattern.compile("\\$\\$|\\$\\(([-._a-zA-Z][-._a-zA-Z0-9]*)\\)");

    private Env() {
    }

    static Map<String, Entry> of(Container container, Rendered rendered) {
        Map<String, Entry> entries = new LinkedHashMap<>();
        for (EnvFromSource from : nz(container.getEnvFrom())) {
            String prefix = from.getPrefix() == null ? "" : from.getPrefix();
            if (from.getConfigMapRef() != null) {
                String name = from.getConfigMapRef().getName();
                rendered.find(ConfigMap.class, name).ifPresent(cm -> {
                    if (cm.getData() != null) {
                        cm.getData().forEach((k, v) -> entries.put(prefix + k, new Entry(prefix + k, v, "configMap:" + name)));
                    }
                });
            }
            // Keys of a Secret (envFrom secretRef) are not known before run time unless it is rendered;
            // no manifest here uses secretRef, so they are not listed.
        }
        for (EnvVar var : nz(container.getEnv())) {
            EnvVarSource from = var.getValueFrom();
            if (from == null) {
                entries.put(var.getName(), new Entry(var.getName(), var.getValue() == null ? "" : var.getValue(), "value"));
            } else if (from.getConfigMapKeyRef() != null) {
                String cmName = from.getConfigMapKeyRef().getName();
                String key = from.getConfigMapKeyRef().getKey();
                String value = rendered.find(ConfigMap.class, cmName)
                        .map(cm -> cm.getData() == null ? null : cm.getData().get(key)).orElse(null);
                entries.put(var.getName(), new Entry(var.getName(), value, "configMap:" + cmName + "/" + key));
            } else if (from.getSecretKeyRef() != null) {
                entries.put(var.getName(), new Entry(var.getName(), null,
                        "secret:" + from.getSecretKeyRef().getName() + "/" + from.getSecretKeyRef().getKey()));
            } else if (from.getFieldRef() != null) {
                entries.put(var.getName(), new Entry(var.getName(), null, "fieldRef:" + from.getFieldRef().getFieldPath()));
            } else {
                entries.put(var.getName(), new Entry(var.getName(), null, "resourceFieldRef"));
            }
        }
        return entries;
    }

    /** Names referenced as {@code $(NAME)} in a command, argument or env value. */
    static List<String> references(String text) {
        Matcher m = REFERENCE.matcher(text);
        List<String> names = new java.util.ArrayList<>();
        while (m.find()) {
            if (m.group(1) != null) {
                names.add(m.group(1));
            }
        }
        return names;
    }

    /** Kubernetes' $(VAR) expansion; {@code $$} is a literal {@code $}; unknown references stay. */
    static String expand(String text, Map<String, String> values) {
        Matcher m = REFERENCE.matcher(text);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            String replacement;
            if (m.group(1) == null) {
                replacement = "$";
            } else {
                replacement = values.getOrDefault(m.group(1), m.group());
            }
            m.appendReplacement(out, Matcher.quoteReplacement(replacement));
        }
        m.appendTail(out);
        return out.toString();
    }

    static <T> List<T> nz(List<T> list) {
        return list == null ? List.of() : list;
    }
}
