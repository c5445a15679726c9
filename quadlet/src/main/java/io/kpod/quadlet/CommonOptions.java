package io.kpod.quadlet;

import java.nio.file.Path;

/** Keys shared by several unit types, and the resolution of references to other Quadlet units. */
final class CommonOptions {
    private CommonOptions() {
    }

    /** {@code Network=}: a name, {@code foo.network[:opts]} or {@code foo.container} (joins its netns). */
    static void networks(UnitFile unit, String section, UnitFile service, ConversionContext ctx, KpodCommand cmd) {
        for (UnitEntry e : unit.allEntries(section, "Network")) {
            String network = e.value();
            int colon = network.indexOf(':');
            String name = colon >= 0 ? network.substring(0, colon) : network;
            boolean isNetwork = name.endsWith(".network");
            boolean isContainer = name.endsWith(".container");
            if (isNetwork || isContainer) {
                UnitInfo info = ctx.referenced(name, e);
                if (info.resourceName().isEmpty()) {
                    throw QuadletException.at(e, "cannot get the resource name of " + name);
                }
                requireService(service, info);
                if (colon >= 0 && isContainer) {
                    throw QuadletException.at(e, "extra options are not supported when joining another container's network");
                }
                if (colon >= 0) {
                    network = info.resourceName() + network.substring(colon);
                } else {
                    network = isContainer ? "container:" + info.resourceName() : info.resourceName();
                }
            }
            cmd.add("--network", network);
        }
    }

    /** {@code Volume=[source:]dest[:opts]} as {@code -v}; a source may be a path or {@code foo.volume}. */
    static void volumes(UnitFile unit, String section, UnitFile service, ConversionContext ctx, KpodCommand cmd) {
        for (UnitEntry e : unit.allEntries(section, "Volume")) {
            String[] parts = e.value().split(":", 3);
            String source = parts.length >= 2 ? parts[0] : "";
            String dest = parts.length >= 2 ? parts[1] : parts[0];
            String options = parts.length >= 3 ? ":" + parts[2] : "";
            if (!source.isEmpty()) {
                source = storageSource(unit, service, source, ctx, e, false);
            }
            cmd.add("-v", source.isEmpty() ? dest : source + ":" + dest + options);
        }
    }

    /**
     * Resolves a volume or mount source: relative paths against the unit file's directory (the
     * service then requires their mounts), {@code foo.volume} (and {@code foo.image} for mounts)
     * to the object name, with a dependency on its service.
     */
    static String storageSource(UnitFile unit, UnitFile service, String source, ConversionContext ctx,
                                UnitEntry entry, boolean allowImage) {
        String resolved = source;
        if (resolved.startsWith(".")) {
            resolved = absolutePath(unit, resolved);
        }
        if (resolved.startsWith("/")) {
            service.add(ServiceScaffold.UNIT, "RequiresMountsFor", resolved);
        } else if (resolved.endsWith(".volume") || (allowImage && resolved.endsWith(".image"))) {
            UnitInfo info = ctx.referenced(resolved, entry);
            requireService(service, info);
            resolved = info.resourceName();
        }
        return resolved;
    }

    /** {@code Image=foo.image} becomes the image that unit pulls, with a dependency on it. */
    static String imageSource(String image, UnitFile service, ConversionContext ctx, UnitEntry entry) {
        if (!image.endsWith(".image")) {
            return image;
        }
        UnitInfo info = ctx.referenced(image, entry);
        requireService(service, info);
        return info.resourceName();
    }

    static void requireService(UnitFile service, UnitInfo info) {
        service.add(ServiceScaffold.UNIT, "Requires", info.serviceFileName());
        service.add(ServiceScaffold.UNIT, "After", info.serviceFileName());
    }

    /** A path relative to the unit file's directory made absolute; paths starting with a specifier are kept. */
    static String absolutePath(UnitFile unit, String path) {
        boolean specifier = path.startsWith("%") && !path.startsWith("%%");
        if (specifier || path.startsWith("/")) {
            return path;
        }
        Path base = unit.path().map(Path::getParent).orElse(Path.of("").toAbsolutePath());
        return base.resolve(path).normalize().toString();
    }

    static void publishPorts(UnitFile unit, String section, KpodCommand cmd) {
        for (String port : unit.lookupAll(section, "PublishPort")) {
            cmd.add("--publish", port);
        }
    }

    static void logging(UnitFile unit, String section, KpodCommand cmd) {
        unit.lookup(section, "LogDriver").ifPresent(d -> cmd.add("--log-driver", d));
        for (String opt : unit.lookupAllStrv(section, "LogOpt")) {
            cmd.add("--log-opt", opt);
        }
    }

    static void podmanArgs(UnitFile unit, String section, KpodCommand cmd) {
        cmd.addAll(unit.lookupAllArgs(section, "PodmanArgs"));
    }

    /** {@code KillMode} may only be mixed (the default) or control-group. */
    static void killMode(UnitFile service) {
        var mode = service.lastEntry(ServiceScaffold.SERVICE, "KillMode");
        if (mode.isEmpty()) {
            service.set(ServiceScaffold.SERVICE, "KillMode", "mixed");
        } else if (!mode.get().value().equals("mixed") && !mode.get().value().equals("control-group")) {
            throw QuadletException.at(mode.get(), "invalid KillMode '" + mode.get().value() + "'");
        }
    }

    /** The service {@code Type}, which may only be notify (the default) or oneshot. */
    static String serviceType(UnitFile service) {
        var type = service.lastEntry(ServiceScaffold.SERVICE, "Type");
        if (type.isPresent() && !type.get().value().equals("notify") && !type.get().value().equals("oneshot")) {
            throw QuadletException.at(type.get(), "invalid service Type '" + type.get().value() + "'");
        }
        return type.map(UnitEntry::value).orElse("notify");
    }
}
