package io.kpod.quadlet;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The symlinks that {@code systemctl enable} would make for a generated service, from its
 * {@code [Install]} section: Alias, {@code <unit>.wants/} for WantedBy, {@code <unit>.requires/}
 * for RequiredBy. A template is only enabled through its DefaultInstance.
 */
public final class InstallLinks {
    private InstallLinks() {
    }

    /** A symlink at {@code path} (relative to the output dir) pointing at {@code target} (relative to the link). */
    public record Link(String path, String target) {
    }

    public static List<Link> of(UnitFile service) {
        List<String> paths = new ArrayList<>();
        for (String alias : service.lookupAllStrv("Install", "Alias")) {
            paths.add(Path.of(alias).normalize().toString());
        }
        String name = service.fileName();
        UnitNames.TemplateParts parts = UnitNames.templateParts(name);
        if (parts.template() && parts.instance().isEmpty()) {
            name = service.lookup("Install", "DefaultInstance")
                    .map(instance -> parts.prefix() + "@" + instance + ".service").orElse("");
        }
        if (!name.isEmpty()) {
            for (String unit : service.lookupAllStrv("Install", "WantedBy")) {
                if (!unit.contains("/")) {
                    paths.add(unit + ".wants/" + name);
                }
            }
            for (String unit : service.lookupAllStrv("Install", "RequiredBy")) {
                if (!unit.contains("/")) {
                    paths.add(unit + ".requires/" + name);
                }
            }
        }
        List<Link> links = new ArrayList<>();
        for (String path : paths) {
            Path parent = Path.of(path).getParent();
            String up = parent == null ? "" : "../".repeat(parent.getNameCount());
            links.add(new Link(path, up + service.fileName()));
        }
        return links;
    }
}
