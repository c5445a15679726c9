package io.kpod.quadlet;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** {@code .container} → a notify service running {@code kpod run -d} and removing the container on stop. */
final class ContainerConverter implements UnitConverter {
    static final String SECTION = "Container";

    private static final Set<String> KEYS = Set.of("AddCapability", "AddDevice", "AddHost", "Annotation", "AppArmor",
            "AutoUpdate", "CgroupsMode", "ContainerName", "ContainersConfModule", "DNS", "DNSOption", "DNSSearch",
            "DropCapability", "Entrypoint", "Environment", "EnvironmentFile", "EnvironmentHost", "Exec",
            "ExposeHostPort", "GIDMap", "GlobalArgs", "Group", "GroupAdd", "HealthCmd", "HealthInterval",
            "HealthLogDestination", "HealthMaxLogCount", "HealthMaxLogSize", "HealthOnFailure", "HealthRetries",
            "HealthStartPeriod", "HealthStartupCmd", "HealthStartupInterval", "HealthStartupRetries",
            "HealthStartupSuccess", "HealthStartupTimeout", "HealthTimeout", "HostName", "HttpProxy", "IP", "IP6",
            "Image", "Label", "LogDriver", "LogOpt", "Mask", "Memory", "Mount", "Network", "NetworkAlias",
            "NoNewPrivileges", "Notify", "PidsLimit", "Pod", "PodmanArgs", "PublishPort", "Pull", "ReadOnly",
            "ReadOnlyTmpfs", "ReloadCmd", "ReloadSignal", "RemapGid", "RemapUid", "RemapUidSize", "RemapUsers",
            "Retry", "RetryDelay", "Rootfs", "RunInit", "SeccompProfile", "Secret", "SecurityLabelDisable",
            "SecurityLabelFileType", "SecurityLabelLevel", "SecurityLabelNested", "SecurityLabelType", "ServiceName",
            "ShmSize", "StartWithPod", "StopSignal", "StopTimeout", "SubGIDMap", "SubUIDMap", "Sysctl", "Timezone",
            "Tmpfs", "UIDMap", "Ulimit", "Unmask", "User", "UserNS", "VolatileTmp", "Volume", "WorkingDir");

    /** Single-valued keys: the last value, if not empty, becomes {@code flag value}. */
    private static final Map<String, String> STRING_FLAGS = ordered(
            "Timezone", "--tz", "PidsLimit", "--pids-limit", "ShmSize", "--shm-size", "WorkingDir", "--workdir",
            "IP", "--ip", "IP6", "--ip6", "HostName", "--hostname", "StopSignal", "--stop-signal",
            "StopTimeout", "--stop-timeout", "Pull", "--pull", "Memory", "--memory", "Retry", "--retry",
            "RetryDelay", "--retry-delay");

    /** Repeatable keys: each value becomes {@code flag value}. */
    private static final Map<String, String> LIST_FLAGS = ordered(
            "NetworkAlias", "--network-alias", "Ulimit", "--ulimit", "DNS", "--dns", "DNSOption", "--dns-option",
            "DNSSearch", "--dns-search", "GroupAdd", "--group-add", "AddHost", "--add-host", "Tmpfs", "--tmpfs");

    /** Boolean keys: {@code flag} or {@code flag=false}. */
    private static final Map<String, String> BOOL_FLAGS = ordered(
            "RunInit", "--init", "EnvironmentHost", "--env-host", "HttpProxy", "--http-proxy",
            "ReadOnlyTmpfs", "--read-only-tmpfs");

    static Map<String, String> ordered(String... pairs) {
        Map<String, String> map = new LinkedHashMap<>();
        for (int i = 0; i < pairs.length; i += 2) {
            map.put(pairs[i], pairs[i + 1]);
        }
        return map;
    }

    @Override
    public Set<String> supportedKeys() {
        return KEYS;
    }

    @Override
    public UnitFile convert(UnitFile unit, ConversionContext ctx) {
        UnitFile service = ServiceScaffold.create(unit, UnitType.CONTAINER, KEYS, ctx);
        String image = imageOrRootfs(unit, service, ctx);
        String name = UnitNames.containerName(unit);

        // kpod auto-update finds the unit to restart through this variable
        service.add(ServiceScaffold.SERVICE, "Environment", "PODMAN_SYSTEMD_UNIT=%n");
        CommonOptions.killMode(service);

        // conmon may die uncleanly and leave the container behind, so always remove it; -i tolerates
        // a cid file already removed, and ExecStopPost also runs when the main process was killed
        KpodCommand stop = KpodCommand.base(ctx, unit, SECTION).add("rm", "-v", "-f", "-i", "--cidfile=%t/%N.cid");
        service.addCommand(ServiceScaffold.SERVICE, "ExecStop", stop.argv());
        List<String> stopPost = new java.util.ArrayList<>(stop.argv());
        stopPost.set(0, "-" + stopPost.get(0));
        service.addCommand(ServiceScaffold.SERVICE, "ExecStopPost", stopPost);
        reload(unit, service, ctx, name);

        KpodCommand run = KpodCommand.base(ctx, unit, SECTION)
                .add("run", "--name", name, "--cidfile=%t/%N.cid", "--replace", "--rm");
        CommonOptions.logging(unit, SECTION, run);
        service.add(ServiceScaffold.SERVICE, "Delegate", "yes");
        var cgroups = unit.lookupNonEmpty(SECTION, "CgroupsMode");
        if (cgroups.isPresent()) {
            run.add("--cgroups", cgroups.get());
        } else {
            run.add("--cgroups=split");
        }
        unit.lookup(SECTION, "Entrypoint").ifPresent(e -> run.add("--entrypoint", e));
        STRING_FLAGS.forEach((key, flag) -> unit.lookupNonEmpty(SECTION, key).ifPresent(v -> run.add(flag, v)));
        LIST_FLAGS.forEach((key, flag) -> unit.lookupAll(SECTION, key).forEach(v -> run.add(flag, v)));
        BOOL_FLAGS.forEach((key, flag) -> unit.lookupBoolean(SECTION, key).ifPresent(v -> run.addBool(flag, v)));
        CommonOptions.networks(unit, SECTION, service, ctx, run);
        notify(unit, service, run);
        service.setIfAbsent(ServiceScaffold.SERVICE, "SyslogIdentifier", "%N");

        ContainerSecurity.apply(unit, ctx, run);
        UserMappings.user(unit, SECTION, run);
        UserMappings.mappings(unit, SECTION, run, true);
        CommonOptions.volumes(unit, SECTION, service, ctx, run);
        unit.lookupNonEmpty(SECTION, "AutoUpdate").ifPresent(u -> run.add("--label", "io.containers.autoupdate=" + u));
        exposedPorts(unit, run);
        CommonOptions.publishPorts(unit, SECTION, run);
        run.addKeyVals("--env", unit.lookupAllKeyVal(SECTION, "Environment"));
        run.addKeyVals("--label", unit.lookupAllKeyVal(SECTION, "Label"));
        run.addKeyVals("--annotation", unit.lookupAllKeyVal(SECTION, "Annotation"));
        ContainerSecurity.masks(unit, run);
        for (String file : unit.lookupAllArgs(SECTION, "EnvironmentFile")) {
            run.add("--env-file", CommonOptions.absolutePath(unit, file));
        }
        unit.lookupAllArgs(SECTION, "Secret").forEach(s -> run.add("--secret", s));
        for (UnitEntry e : unit.allEntries(SECTION, "Mount")) {
            for (String mount : UnitFile.split(e, SystemdWords.Mode.ARGS)) {
                run.add("--mount", MountOption.resolve(unit, service, mount, ctx, e));
            }
        }
        health(unit, run);
        pod(unit, service, ctx, run);
        CommonOptions.podmanArgs(unit, SECTION, run);
        if (image.isEmpty()) {
            run.add("--rootfs", unit.lookup(SECTION, "Rootfs").orElseThrow());
        } else {
            run.add(image);
        }
        unit.lookupLastArgs(SECTION, "Exec").ifPresent(run::addAll);
        service.addCommand(ServiceScaffold.SERVICE, "ExecStart", run.argv());
        return service;
    }

    /** The image to run (resolving {@code foo.image}), or "" when the container runs a Rootfs. */
    private static String imageOrRootfs(UnitFile unit, UnitFile service, ConversionContext ctx) {
        String image = unit.lookup(SECTION, "Image").orElse("");
        String rootfs = unit.lookup(SECTION, "Rootfs").orElse("");
        if (image.isEmpty() && rootfs.isEmpty()) {
            throw new QuadletException("no Image or Rootfs key specified", unit.path().orElse(null), 0);
        }
        if (!image.isEmpty() && !rootfs.isEmpty()) {
            throw QuadletException.at(unit.lastEntry(SECTION, "Rootfs").orElseThrow(),
                    "the Image and Rootfs keys conflict and can not be specified together");
        }
        return image.isEmpty() ? "" : CommonOptions.imageSource(image, service, ctx,
                unit.lastEntry(SECTION, "Image").orElseThrow());
    }

    private static void reload(UnitFile unit, UnitFile service, ConversionContext ctx, String name) {
        var signal = unit.lookupNonEmpty(SECTION, "ReloadSignal");
        var command = unit.lookupLastArgs(SECTION, "ReloadCmd").filter(c -> !c.isEmpty());
        if (signal.isEmpty() && command.isEmpty()) {
            return;
        }
        if (signal.isPresent() && command.isPresent()) {
            throw QuadletException.at(unit.lastEntry(SECTION, "ReloadSignal").orElseThrow(),
                    "ReloadCmd and ReloadSignal are mutually exclusive but both are set");
        }
        KpodCommand reload = KpodCommand.base(ctx, unit, SECTION);
        if (command.isPresent()) {
            reload.add("exec", name).addAll(command.get());
        } else {
            reload.add("kill", "--signal", signal.get(), name);
        }
        service.addCommand(ServiceScaffold.SERVICE, "ExecReload", reload.argv());
    }

    /** Type=notify with conmon (or the container, or health) notifying, unless the service is a oneshot. */
    private static void notify(UnitFile unit, UnitFile service, KpodCommand run) {
        if (CommonOptions.serviceType(service).equals("oneshot")) {
            return;
        }
        var notify = unit.lookup(SECTION, "Notify");
        if (notify.isPresent() && notify.get().equalsIgnoreCase("healthy")) {
            run.add("--sdnotify=healthy");
        } else if (unit.lookupBoolean(SECTION, "Notify", false)) {
            run.add("--sdnotify=container");
        } else {
            run.add("--sdnotify=conmon");
        }
        service.set(ServiceScaffold.SERVICE, "Type", "notify");
        service.set(ServiceScaffold.SERVICE, "NotifyAccess", "all");
        // kpod itself need not stay: conmon is the main process
        run.add("-d");
    }

    private static void exposedPorts(UnitFile unit, KpodCommand run) {
        for (UnitEntry e : unit.allEntries(SECTION, "ExposeHostPort")) {
            String port = e.value().strip();
            if (!port.matches("\\d+(-\\d+)?(/udp|/tcp)?")) {
                throw QuadletException.at(e, "invalid port format '" + port + "'");
            }
            run.add("--expose", port);
        }
    }

    private static final List<String[]> HEALTH = List.of(
            new String[] {"HealthCmd", "cmd"}, new String[] {"HealthInterval", "interval"},
            new String[] {"HealthOnFailure", "on-failure"}, new String[] {"HealthLogDestination", "log-destination"},
            new String[] {"HealthMaxLogCount", "max-log-count"}, new String[] {"HealthMaxLogSize", "max-log-size"},
            new String[] {"HealthRetries", "retries"}, new String[] {"HealthStartPeriod", "start-period"},
            new String[] {"HealthTimeout", "timeout"}, new String[] {"HealthStartupCmd", "startup-cmd"},
            new String[] {"HealthStartupInterval", "startup-interval"},
            new String[] {"HealthStartupRetries", "startup-retries"},
            new String[] {"HealthStartupSuccess", "startup-success"},
            new String[] {"HealthStartupTimeout", "startup-timeout"});

    private static void health(UnitFile unit, KpodCommand run) {
        for (String[] pair : HEALTH) {
            unit.lookupNonEmpty(SECTION, pair[0]).ifPresent(v -> run.add("--health-" + pair[1], v));
        }
    }

    /** {@code Pod=foo.pod}: join that pod through its id file, bound to the pod's service. */
    private static void pod(UnitFile unit, UnitFile service, ConversionContext ctx, KpodCommand run) {
        var entry = unit.lastEntry(SECTION, "Pod");
        var pod = unit.lookupNonEmpty(SECTION, "Pod");
        if (pod.isEmpty()) {
            return;
        }
        if (!pod.get().endsWith(".pod")) {
            throw QuadletException.at(entry.orElseThrow(), "pod " + pod.get() + " is not Quadlet based");
        }
        UnitInfo info = ctx.referenced(pod.get(), entry.orElseThrow());
        // read for its validation only: the registry already put this container in the pod's Wants=
        unit.lookupBoolean(SECTION, "StartWithPod");
        run.add("--pod-id-file", "%t/" + info.serviceName() + ".pod-id");
        service.add(ServiceScaffold.UNIT, "BindsTo", info.serviceFileName());
        service.add(ServiceScaffold.UNIT, "After", info.serviceFileName());
    }
}
