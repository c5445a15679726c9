package io.kpod.cli.views;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kpod.engine.EnginePaths;
import io.kpod.engine.Json;
import io.kpod.engine.state.ContainerRecord;
import io.kpod.engine.state.ContainerState;
import io.kpod.engine.state.ContainerStatus;
import io.kpod.engine.state.StateStore.ContainerRow;
import io.kpod.spec.ContainerSpec;
import io.kpod.spec.VolumeMount;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;

/**
 * Containers shaped as Podman prints them, so scripts that parse Podman's output read
 * kpod's: {@code ps --format json} rows, template fields, and {@code inspect} documents.
 */
public final class ContainerViews {
    private static final String ZERO_TIME = "0001-01-01T00:00:00Z";

    private ContainerViews() {
    }

    /** One {@code ps --format json} entry, with Podman's field names. */
    public static ObjectNode psJson(ContainerRow row) {
        ContainerRecord r = row.record();
        ContainerState s = row.state();
        ObjectNode o = Json.MAPPER.createObjectNode();
        o.put("AutoRemove", r.spec().removeOnExit());
        strings(o.putArray("Command"), r.args());
        o.put("CreatedAt", Humans.createdAt(r.created()));
        o.put("Exited", s.status() == ContainerStatus.EXITED);
        o.put("ExitedAt", s.finishedAt() == null ? 0 : epoch(s.finishedAt()));
        o.put("ExitCode", s.exitCode());
        o.put("Id", r.id());
        o.put("Image", r.imageName());
        o.put("ImageID", r.imageId());
        o.put("IsInfra", r.infra());
        labels(o.putObject("Labels"), r.spec().labels());
        ArrayNode mounts = o.putArray("Mounts");
        r.mounts().forEach(m -> mounts.add(m.destination()));
        strings(o.putArray("Names"), List.of(r.name()));
        o.putObject("Namespaces");
        o.putArray("Networks");
        o.put("Pid", s.pid());
        o.put("Pod", r.podId() == null ? "" : r.podId());
        o.put("PodName", "");
        o.putNull("Ports");
        o.put("Restarts", s.restartCount());
        o.put("StartedAt", s.startedAt() == null ? 0 : epoch(s.startedAt()));
        o.put("State", s.status().text());
        o.put("Status", Humans.status(s));
        o.put("Created", epoch(r.created()));
        return o;
    }

    /** The fields {@code ps --format '{{…}}'} templates use, beside the JSON ones. */
    public static ObjectNode psTemplate(ContainerRow row, boolean noTrunc, EnginePaths paths) {
        ObjectNode o = psJson(row);
        ContainerRecord r = row.record();
        o.put("ID", noTrunc ? r.id() : r.shortId());
        o.put("Names", r.name());
        o.put("Command", Humans.command(r.args(), noTrunc));
        o.put("CreatedHuman", Humans.ago(r.created()));
        o.put("RunningFor", Humans.ago(r.created()));
        o.put("Ports", String.join(", ", publishedPorts(r, paths).stream().map(p -> hostIp(p) + ":"
                + span(p.hostPort(), p.range()) + "->" + span(p.containerPort(), p.range()) + "/" + p.protocol()).toList()));
        o.put("Networks", String.join(",", options(r, paths).map(x -> List.copyOf(x.networks().keySet()))
                .orElse(List.of())));
        o.put("Mounts", String.join(",", r.mounts().stream().map(VolumeMount::destination).toList()));
        o.put("Labels", Humans.labels(r.spec().labels()));
        return o;
    }

    /** One {@code inspect} document, Podman's layout. */
    public static ObjectNode inspect(ContainerRow row, EnginePaths paths, String runtimeName) {
        ContainerRecord r = row.record();
        ContainerState s = row.state();
        ContainerSpec spec = r.spec();
        ObjectNode o = Json.MAPPER.createObjectNode();
        o.put("Id", r.id());
        o.put("Created", r.created());
        o.put("Path", r.args().get(0));
        strings(o.putArray("Args"), r.args().subList(1, r.args().size()));
        ObjectNode st = o.putObject("State");
        st.put("OciVersion", "1.0.2-dev");
        st.put("Status", s.status().text());
        st.put("Running", s.status() == ContainerStatus.RUNNING);
        st.put("Paused", s.status() == ContainerStatus.PAUSED);
        st.put("Restarting", false);
        st.put("OOMKilled", false);
        st.put("Dead", false);
        st.put("Pid", s.pid());
        st.put("ConmonPid", s.conmonPid());
        st.put("ExitCode", s.exitCode());
        st.put("Error", s.error() == null ? "" : s.error());
        st.put("StartedAt", s.startedAt() == null ? ZERO_TIME : s.startedAt());
        st.put("FinishedAt", s.finishedAt() == null ? ZERO_TIME : s.finishedAt());
        st.put("Ready", s.ready());
        if (s.readiness() != null) {
            ObjectNode rd = st.putObject("Readiness");
            rd.put("Status", s.ready() ? "ready" : "not ready");
            rd.put("FailingStreak", s.readiness().failingStreak());
        }
        if (spec.healthCheck() != null) {
            ObjectNode h = st.putObject("Health");
            ContainerState.Health health = s.health() == null ? ContainerState.Health.starting() : s.health();
            h.put("Status", health.status());
            h.put("FailingStreak", health.failingStreak());
            ArrayNode log = h.putArray("Log");
            for (ContainerState.HealthLog l : health.log()) {
                ObjectNode e = log.addObject();
                e.put("Start", l.start());
                e.put("End", l.end());
                e.put("ExitCode", l.exitCode());
                e.put("Output", l.output());
            }
        }
        o.put("Image", r.imageId());
        o.put("ImageName", r.imageName());
        o.put("Rootfs", io.kpod.engine.container.RootfsDir.of(spec).map(d -> d.dir().toString()).orElse(""));
        o.put("Pod", r.podId() == null ? "" : r.podId());
        String bundle = paths.bundleDir(r.id()).toString();
        o.put("ResolvConfPath", bundle + "/resolvconf");
        o.put("HostnamePath", bundle + "/hostname");
        o.put("HostsPath", bundle + "/hosts");
        o.put("StaticDir", bundle);
        o.put("OCIConfigPath", bundle + "/config.json");
        o.put("OCIRuntime", runtimeName);
        o.put("ConmonPidFile", r.spec().systemd().conmonPidFile() != null ? r.spec().systemd().conmonPidFile()
                : paths.containerRunDir(r.id()) + "/conmon.pid");
        o.put("PidFile", paths.containerRunDir(r.id()) + "/pidfile");
        o.put("Name", r.name());
        o.put("RestartCount", s.restartCount());
        o.put("Driver", "overlay");
        o.put("MountLabel", "");
        o.put("ProcessLabel", "");
        o.put("AppArmorProfile", "");
        ObjectNode gd = o.putObject("GraphDriver");
        gd.put("Name", "overlay");
        ObjectNode gdd = gd.putObject("Data");
        gdd.put("UpperDir", paths.containerDir(r.id()) + "/upper");
        gdd.put("WorkDir", paths.containerDir(r.id()) + "/work");
        gdd.put("MergedDir", paths.rootfsMount(r.id()).toString());
        ArrayNode mounts = o.putArray("Mounts");
        for (VolumeMount m : r.mounts()) {
            ObjectNode x = mounts.addObject();
            x.put("Type", m.type().name().toLowerCase(java.util.Locale.ROOT));
            if (m.type() == VolumeMount.Type.VOLUME) {
                x.put("Name", m.source());
                x.put("Source", paths.volumesDir().resolve(m.source()).resolve("_data").toString());
                x.put("Driver", "local");
            } else {
                x.put("Source", m.source() == null ? "tmpfs" : m.source());
            }
            x.put("Destination", m.destination());
            x.put("Mode", "");
            strings(x.putArray("Options"), m.options());
            x.put("RW", !m.readOnly());
            x.put("Propagation", "rprivate");
        }
        o.putArray("Dependencies");
        ObjectNode net = o.putObject("NetworkSettings");
        net.put("EndpointID", "");
        net.put("Gateway", "");
        net.put("IPAddress", "");
        net.put("IPPrefixLen", 0);
        net.put("MacAddress", "");
        net.put("Bridge", "");
        net.put("SandboxID", "");
        net.put("HairpinMode", false);
        ObjectNode ports = net.putObject("Ports");
        net.put("SandboxKey", spec.networkMode().equals("host") || s.pid() == 0 ? "" : "/proc/" + s.pid() + "/ns/net");
        networkSettings(net, ports, r, paths);
        o.put("Namespace", "");
        o.put("IsInfra", r.infra());
        ObjectNode cfg = o.putObject("Config");
        cfg.put("Hostname", spec.hostname() != null ? spec.hostname() : r.shortId());
        cfg.put("Domainname", "");
        cfg.put("User", r.user());
        cfg.put("AttachStdin", spec.process().interactive());
        cfg.put("AttachStdout", false);
        cfg.put("AttachStderr", false);
        cfg.put("Tty", spec.process().tty());
        cfg.put("OpenStdin", spec.process().interactive());
        cfg.put("StdinOnce", false);
        ArrayNode env = cfg.putArray("Env");
        r.env().forEach((k, v) -> env.add(k + "=" + v));
        strings(cfg.putArray("Cmd"), spec.process().command() != null ? spec.process().command() : r.args());
        cfg.put("Image", r.imageName());
        cfg.putObject("Volumes");
        cfg.put("WorkingDir", r.workingDir());
        if (spec.process().entrypoint() != null) {
            cfg.put("Entrypoint", String.join(" ", spec.process().entrypoint()));
        } else {
            cfg.put("Entrypoint", "");
        }
        labels(cfg.putObject("Labels"), spec.labels());
        labels(cfg.putObject("Annotations"), spec.annotations());
        cfg.put("StopSignal", r.stopSignal());
        cfg.put("StopTimeout", r.stopTimeout());
        cfg.put("Umask", "0022");
        String createCommand = spec.annotations().get("io.kpod.create-command");
        if (createCommand != null) {
            try {
                cfg.set("CreateCommand", io.kpod.engine.Json.MAPPER.readTree(createCommand));
            } catch (java.io.IOException e) {
                // an unreadable annotation is left out of the view
            }
        }
        if (spec.healthCheck() != null) {
            ObjectNode hc = cfg.putObject("Healthcheck");
            strings(hc.putArray("Test"), spec.healthCheck().test());
            hc.put("Interval", spec.healthCheck().interval().toNanos());
            hc.put("Timeout", spec.healthCheck().timeout().toNanos());
            hc.put("StartPeriod", spec.healthCheck().startPeriod().toNanos());
            hc.put("Retries", spec.healthCheck().retries());
        }
        ObjectNode host = o.putObject("HostConfig");
        ArrayNode binds = host.putArray("Binds");
        for (VolumeMount m : r.mounts()) {
            if (m.type() != VolumeMount.Type.TMPFS && m.type() != VolumeMount.Type.IMAGE) {
                binds.add(m.source() + ":" + m.destination() + (m.readOnly() ? ":ro" : ":rw"));
            }
        }
        List<String> volumesFrom = io.kpod.spec.VolumesFrom.entries(spec.annotations().get(
                io.kpod.spec.VolumesFrom.ANNOTATION));
        if (volumesFrom.isEmpty()) {
            host.putNull("VolumesFrom");
        } else {
            strings(host.putArray("VolumesFrom"), volumesFrom);
        }
        host.put("CgroupManager", "cgroupfs");
        host.put("CgroupMode", "private");
        ObjectNode lc = host.putObject("LogConfig");
        lc.put("Type", spec.logDriver() == null ? "k8s-file" : spec.logDriver());
        lc.put("Path", r.spec().logOptions().getOrDefault("path", paths.bundleDir(r.id()) + "/ctr.log"));
        host.put("NetworkMode", spec.networkMode().equals("private") ? "none" : spec.networkMode());
        ObjectNode rp = host.putObject("RestartPolicy");
        rp.put("Name", spec.restartPolicy().mode() == io.kpod.spec.RestartPolicy.Mode.NO ? ""
                : spec.restartPolicy().mode().text());
        rp.put("MaximumRetryCount", spec.restartPolicy().maxRetries());
        host.put("AutoRemove", spec.removeOnExit());
        strings(host.putArray("CapAdd"), spec.security().capAdd());
        strings(host.putArray("CapDrop"), spec.security().capDrop());
        host.put("Privileged", spec.security().privileged());
        host.put("ReadonlyRootfs", spec.security().readOnlyRootfs());
        ArrayNode so = host.putArray("SecurityOpt");
        if (spec.security().noNewPrivileges()) {
            so.add("no-new-privileges");
        }
        if (spec.security().seccompProfile() != null) {
            so.add("seccomp=" + spec.security().seccompProfile());
        }
        host.put("Memory", spec.resources().memoryBytes() == null ? 0 : spec.resources().memoryBytes());
        host.put("NanoCpus", spec.resources().cpuQuota() == null ? 0
                : spec.resources().cpuQuota() * 1_000_000_000L / spec.resources().cpuPeriod());
        host.put("CpuQuota", spec.resources().cpuQuota() == null ? 0 : spec.resources().cpuQuota());
        host.put("CpuPeriod", spec.resources().cpuPeriod() == null ? 0 : spec.resources().cpuPeriod());
        host.put("CpuShares", spec.resources().cpuShares() == null ? 0 : spec.resources().cpuShares());
        host.put("CpusetCpus", spec.resources().cpusetCpus() == null ? "" : spec.resources().cpusetCpus());
        host.put("CpusetMems", spec.resources().cpusetMems() == null ? "" : spec.resources().cpusetMems());
        host.put("PidsLimit", spec.resources().pidsLimit() == null ? 2048 : spec.resources().pidsLimit());
        ArrayNode ul = host.putArray("Ulimits");
        spec.resources().ulimits().forEach(u -> {
            ObjectNode x = ul.addObject();
            x.put("Name", "RLIMIT_" + u.name().toUpperCase(java.util.Locale.ROOT));
            x.put("Soft", u.soft());
            x.put("Hard", u.hard());
        });
        labels(host.putObject("Sysctls"), spec.resources().sysctls());
        host.put("Init", spec.init());
        io.kpod.spec.IdMappings userns = spec.userns();
        host.put("UsernsMode", userns == null ? "" : userns.mode());
        if (userns != null) {
            ObjectNode idm = host.putObject("IDMappings");
            ArrayNode u = idm.putArray("UidMap");
            userns.uids().forEach(m -> u.add(m.toString()));
            ArrayNode g = idm.putArray("GidMap");
            userns.gids().forEach(m -> g.add(m.toString()));
        }
        host.put("Runtime", "oci");
        return o;
    }

    /** The ports published for this container (its pod's for a member) while its network is up. */
    public static List<io.kpod.network.PortMapping> publishedPorts(ContainerRecord r, EnginePaths paths) {
        return options(r, paths).map(io.kpod.network.NetworkOptions::portMappings).orElse(List.of());
    }

    /** The host address a mapping listens on, 0.0.0.0 when it listens on all. */
    public static String hostIp(io.kpod.network.PortMapping p) {
        return p.hostIp() == null || p.hostIp().isEmpty() ? "0.0.0.0" : p.hostIp();
    }

    /** {@code 8080}, or {@code 8080-8081} for a range of two, as {@code ps} shows ports. */
    private static String span(int first, int range) {
        return range > 1 ? first + "-" + (first + range - 1) : Integer.toString(first);
    }

    /** The options netavark was given for this container (or its pod), while its network is up. */
    private static java.util.Optional<io.kpod.network.NetworkOptions> options(ContainerRecord r, EnginePaths paths) {
        java.nio.file.Path opts = r.podId() == null
                ? paths.containerRunDir(r.id()).resolve(io.kpod.engine.network.NetworkService.OPTIONS_FILE)
                : paths.runRoot().resolve("pods").resolve(r.podId()).resolve(io.kpod.engine.network.NetworkService.OPTIONS_FILE);
        try {
            return java.nio.file.Files.exists(opts) ? java.util.Optional.of(io.kpod.network.NetworkJson.mapper()
                    .readValue(java.nio.file.Files.readAllBytes(opts), io.kpod.network.NetworkOptions.class))
                    : java.util.Optional.empty();
        } catch (java.io.IOException | RuntimeException e) {
            // a half-written options file during setup: show no network details rather than fail
            return java.util.Optional.empty();
        }
    }

    /** Address, networks and published ports from the options netavark was given (container's or pod's). */
    private static void networkSettings(ObjectNode net, ObjectNode ports, ContainerRecord r, EnginePaths paths) {
        java.util.Optional<io.kpod.network.NetworkOptions> found = options(r, paths);
        if (found.isEmpty()) {
            return;
        }
        io.kpod.network.NetworkOptions o = found.get();
        ObjectNode nets = net.putObject("Networks");
        boolean first = true;
        for (var e : o.networks().entrySet()) {
            String ip = e.getValue().staticIps().isEmpty() ? "" : e.getValue().staticIps().get(0);
            ObjectNode n = nets.putObject(e.getKey());
            n.put("IPAddress", ip);
            var aliases = n.putArray("Aliases");
            e.getValue().aliases().forEach(aliases::add);
            var def = o.networkInfo().get(e.getKey());
            if (def != null && !def.subnets().isEmpty()) {
                n.put("Gateway", def.subnets().get(0).gateway());
                String cidr = def.subnets().get(0).subnet();
                n.put("IPPrefixLen", Integer.parseInt(cidr.substring(cidr.indexOf('/') + 1)));
            }
            if (first) {
                net.put("IPAddress", ip);
                net.put("Gateway", n.path("Gateway").asText(""));
                net.put("IPPrefixLen", n.path("IPPrefixLen").asInt(0));
                first = false;
            }
        }
        for (io.kpod.network.PortMapping p : o.portMappings()) {
            for (int i = 0; i < Math.max(1, p.range()); i++) {
                ObjectNode b = ports.withArray((p.containerPort() + i) + "/" + p.protocol()).addObject();
                b.put("HostIp", p.hostIp() == null ? "" : p.hostIp());
                b.put("HostPort", Integer.toString(p.hostPort() + i));
            }
        }
    }

    static long epoch(String rfc3339) {
        try {
            return OffsetDateTime.parse(rfc3339).toEpochSecond();
        } catch (RuntimeException e) {
            return 0;
        }
    }

    static Instant instant(String rfc3339) {
        return OffsetDateTime.parse(rfc3339).toInstant();
    }

    private static void strings(ArrayNode a, List<String> values) {
        values.forEach(a::add);
    }

    private static void labels(ObjectNode o, Map<String, String> m) {
        m.forEach(o::put);
    }
}
