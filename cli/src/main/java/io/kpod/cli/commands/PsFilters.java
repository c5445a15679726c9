package io.kpod.cli.commands;

import io.kpod.engine.state.ContainerStatus;
import io.kpod.engine.state.StateStore.ContainerRow;
import io.kpod.spec.KpodException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import java.util.regex.Pattern;

/** Podman's {@code ps --filter} keys: values of one key are OR-ed, different keys AND-ed. */
final class PsFilters {
    private PsFilters() {
    }

    static Predicate<ContainerRow> parse(List<String> filters, boolean all) {
        Map<String, List<String>> byKey = new LinkedHashMap<>();
        for (String f : filters) {
            int eq = f.indexOf('=');
            if (eq <= 0) {
                throw KpodException.invalid("invalid filter \"" + f + "\": expected KEY=VALUE");
            }
            byKey.computeIfAbsent(f.substring(0, eq), k -> new ArrayList<>()).add(f.substring(eq + 1));
        }
        boolean showAll = all || !byKey.isEmpty();
        Predicate<ContainerRow> p = r -> showAll || r.state().status() == ContainerStatus.RUNNING;
        for (Map.Entry<String, List<String>> e : byKey.entrySet()) {
            List<String> values = e.getValue();
            Predicate<ContainerRow> any = switch (e.getKey()) {
                case "id" -> r -> values.stream().anyMatch(v -> r.record().id().startsWith(v));
                case "name" -> r -> values.stream().anyMatch(v -> Pattern.compile(v).matcher(r.record().name()).find());
                case "status" -> r -> values.contains(r.state().status().text());
                case "exited" -> r -> r.state().status() == ContainerStatus.EXITED
                        && values.contains(Integer.toString(r.state().exitCode()));
                case "label" -> r -> values.stream().anyMatch(v -> {
                    int eq = v.indexOf('=');
                    Map<String, String> labels = r.record().spec().labels();
                    return eq < 0 ? labels.containsKey(v) : v.substring(eq + 1).equals(labels.get(v.substring(0, eq)));
                });
                case "ancestor" -> r -> values.stream().anyMatch(v -> r.record().imageName().equals(v)
                        || r.record().imageName().startsWith(v + ":") || r.record().imageName().endsWith("/" + v)
                        || r.record().imageName().contains("/" + v + ":") || r.record().imageId().startsWith(v));
                case "pod" -> r -> r.record().podId() != null && values.stream().anyMatch(v -> r.record().podId().startsWith(v));
                default -> throw KpodException.invalid("invalid filter \"" + e.getKey()
                        + "\": use id, name, status, exited, label, ancestor or pod");
            };
            p = p.and(any);
        }
        return p;
    }
}
