package io.kpod.spec;

import java.util.ArrayList;
import java.util.List;

/**
 * {@code --volumes-from CONTAINER[:OPTIONS]}: mount another container's volumes and bind mounts
 * at the same places. A container spec carries the list as Podman records it, in the
 * {@link #ANNOTATION} annotation, entries joined with {@code ;}; the engine resolves it into the
 * new container's own mounts when it is created, so the source may go away afterwards.
 *
 * @param container the source container's name or ID
 * @param readOnly true for {@code ro}, false for {@code rw}, null to keep each mount's own mode
 */
public record VolumesFrom(String container, Boolean readOnly) {
    /** Podman's annotation; {@code kube generate --podman-only} writes it per container as {@code ANNOTATION/<name>}. */
    public static final String ANNOTATION = "io.podman.annotations.volumes-from";

    public VolumesFrom {
        if (container == null || container.isEmpty()) {
            throw KpodException.invalid("--volumes-from needs a container name or ID");
        }
    }

    /**
     * One entry, {@code CONTAINER[:OPTIONS]}, OPTIONS a comma-separated list of {@code ro} or
     * {@code rw} and {@code z} (accepted and ignored, as kpod does not use SELinux), each at most
     * once, as Podman allows.
     */
    public static VolumesFrom parse(String entry) {
        int colon = entry.indexOf(':');
        String container = colon < 0 ? entry : entry.substring(0, colon);
        if (container.isEmpty()) {
            throw KpodException.invalid("invalid --volumes-from \"" + entry + "\": the container name is empty");
        }
        Boolean readOnly = null;
        if (colon >= 0) {
            boolean z = false;
            for (String o : entry.substring(colon + 1).split(",", -1)) {
                switch (o) {
                    case "ro", "rw" -> {
                        if (readOnly != null) {
                            throw KpodException.invalid("invalid --volumes-from \"" + entry
                                    + "\": ro or rw can be set only once");
                        }
                        readOnly = o.equals("ro");
                    }
                    case "z" -> {
                        if (z) {
                            throw KpodException.invalid("invalid --volumes-from \"" + entry
                                    + "\": z can be set only once");
                        }
                        z = true;
                    }
                    default -> throw KpodException.invalid("invalid option \"" + o + "\" in --volumes-from \""
                            + entry + "\": volumes from another container can only use z, ro and rw");
                }
            }
        }
        return new VolumesFrom(container, readOnly);
    }

    /** The annotation's value, entries separated by {@code ;}; empty for a null or empty value. */
    public static List<VolumesFrom> parseList(String value) {
        List<VolumesFrom> out = new ArrayList<>();
        if (value == null || value.isEmpty()) {
            return out;
        }
        for (String entry : value.split(";", -1)) {
            out.add(parse(entry));
        }
        return out;
    }

    /** The entries of the annotation's value as they were written ({@code HostConfig.VolumesFrom}). */
    public static List<String> entries(String value) {
        return value == null || value.isEmpty() ? List.of() : List.of(value.split(";", -1));
    }

    /** {@code CONTAINER[:ro|rw]}, as {@link #parse} reads it back. */
    @Override
    public String toString() {
        return readOnly == null ? container : container + (readOnly ? ":ro" : ":rw");
    }

    /**
     * A source container's mount as the new container gets it: {@code ro}/{@code rw} replaced
     * when this entry says one, else the source's mode kept.
     */
    public VolumeMount applyTo(VolumeMount m) {
        if (readOnly == null) {
            return m;
        }
        List<String> opts = new ArrayList<>();
        opts.add(readOnly ? "ro" : "rw");
        for (String o : m.options()) {
            if (!o.equals("ro") && !o.equals("rw") && !o.equals("readonly")) {
                opts.add(o);
            }
        }
        return new VolumeMount(m.type(), m.source(), m.destination(), opts);
    }
}
