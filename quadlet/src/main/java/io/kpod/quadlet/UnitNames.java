package io.kpod.quadlet;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/** Names derived from a unit's file name: services, kpod objects, templates and drop-in directories. */
public final class UnitNames {
    private UnitNames() {
    }

    /** The file name without its extension: {@code web.container} gives {@code web}. */
    public static String baseName(String fileName) {
        int dot = fileName.lastIndexOf('.');
        return dot > 0 ? fileName.substring(0, dot) : fileName;
    }

    /** {@code name@instance.ext} split into its template prefix and instance. */
    public record TemplateParts(String prefix, String instance, boolean template) {
    }

    public static TemplateParts templateParts(String fileName) {
        String base = baseName(fileName);
        int at = base.indexOf('@');
        if (at < 0) {
            return new TemplateParts(base, "", false);
        }
        return new TemplateParts(base.substring(0, at), base.substring(at + 1), true);
    }

    /** The systemd service name (without {@code .service}) for a unit of the given type. */
    public static String serviceName(UnitFile unit, UnitType type) {
        var explicit = unit.lookup(type.section(), "ServiceName");
        if (explicit.isPresent()) {
            return explicit.get();
        }
        TemplateParts parts = templateParts(unit.fileName());
        if (!parts.template()) {
            return parts.prefix() + type.serviceSuffix();
        }
        return parts.prefix() + type.serviceSuffix() + "@" + parts.instance();
    }

    /** The kpod object name: the value of {@code key}, else {@code systemd-<base>} ({@code -%i} for templates). */
    public static String resourceName(UnitFile unit, String section, String key) {
        var explicit = unit.lookupNonEmpty(section, key);
        if (explicit.isPresent()) {
            return explicit.get();
        }
        TemplateParts parts = templateParts(unit.fileName());
        return parts.template() ? "systemd-" + parts.prefix() + "-%i" : "systemd-" + parts.prefix();
    }

    /** The container name as passed to {@code --name}; may hold systemd specifiers. */
    public static String containerName(UnitFile unit) {
        return unit.lookupNonEmpty("Container", "ContainerName")
                .orElse(unit.fileName().contains("@") ? "systemd-%p_%i" : "systemd-%N");
    }

    /**
     * The drop-in directory names for a unit, most specific first, as systemd searches them:
     * {@code a-b-c@i.container.d}, {@code a-b-c@.container.d}, {@code a-b-.container.d}, ...,
     * {@code container.d}.
     */
    public static List<String> dropInDirs(String fileName) {
        TemplateParts parts = templateParts(fileName);
        int dot = fileName.lastIndexOf('.');
        String dropInExt = (dot > 0 ? fileName.substring(dot) : "") + ".d";
        List<String> broadFirst = new ArrayList<>();
        broadFirst.add(dropInExt.substring(1));
        String[] dashed = parts.prefix().split("-", -1);
        for (int i = 0; i < dashed.length - 1; i++) {
            String truncated = String.join("-", java.util.Arrays.copyOfRange(dashed, 0, i + 1)) + "-";
            broadFirst.add(truncated + dropInExt);
            if (parts.template()) {
                broadFirst.add(truncated + "@" + dropInExt);
            }
        }
        if (!parts.instance().isEmpty()) {
            broadFirst.add(parts.prefix() + "@" + dropInExt);
        }
        broadFirst.add(fileName + ".d");
        Collections.reverse(broadFirst);
        return broadFirst;
    }
}
