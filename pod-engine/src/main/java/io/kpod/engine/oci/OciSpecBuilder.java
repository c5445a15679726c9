package io.kpod.engine.oci;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kpod.engine.Json;
import java.util.List;
import java.util.Map;

/**
 * Turns a resolved container into an OCI runtime config.json with Podman's defaults: the
 * default capability set, masked and read-only paths, /dev, /dev/pts, /dev/shm, /dev/mqueue,
 * read-only /sys, rlimits, cgroup limits and the seccomp profile. Pure: no I/O.
 */
public final class OciSpecBuilder {
    /** Podman's (containers-common's DefaultMaskedPaths); powercap's energy counters leak host secrets (PLATYPUS). */
    static final List<String> MASKED_PATHS = List.of("/proc/acpi", "/proc/kcore", "/proc/keys",
            "/proc/latency_stats", "/proc/timer_list", "/proc/timer_stats", "/proc/sched_debug", "/proc/scsi",
            "/sys/firmware", "/sys/fs/selinux", "/sys/dev/block", "/sys/devices/virtual/powercap");
    static final List<String> READONLY_PATHS = List.of("/proc/asound", "/proc/bus", "/proc/fs", "/proc/irq",
            "/proc/sys", "/proc/sysrq-trigger");

    /** One namespace entry: a new namespace when {@code path} is null, else join it. */
    public record Namespace(String type, String path) {
    }

    /** One rlimit, already clamped to what the host allows. */
    public record Rlimit(String type, long soft, long hard) {
    }

    /** The resolved user a process runs as. */
    public record User(int uid, int gid, List<Integer> additionalGids, int umask) {
    }

    /** Everything the config is made of, already decided by the engine. */
    public record Input(
            List<String> args,
            List<String> env,
            String cwd,
            User user,
            boolean terminal,
            String rootfs,
            boolean readOnlyRootfs,
            String hostname,
            List<String> capabilities,
            boolean noNewPrivileges,
            boolean privileged,
            JsonNode seccomp,
            List<String> extraMasked,
            List<String> unmasked,
            List<Rlimit> rlimits,
            Map<String, String> sysctls,
            Long memoryBytes,
            Long cpuQuota,
            Long cpuPeriod,
            Long cpuShares,
            String cpusetCpus,
            String cpusetMems,
            Long pidsLimit,
            String cgroupsPath,
            List<Namespace> namespaces,
            List<OciMount> mounts,
            long shmSizeBytes,
            Map<String, String> annotations) {
    }

    private OciSpecBuilder() {
    }

    public static ObjectNode build(Input in) {
        ObjectNode root = Json.MAPPER.createObjectNode();
        root.put("ociVersion", "1.0.2-dev");
        root.set("process", process(in));
        ObjectNode r = root.putObject("root");
        r.put("path", in.rootfs());
        r.put("readonly", in.readOnlyRootfs());
        if (in.hostname() != null && in.namespaces().stream().anyMatch(n -> n.type().equals("uts") && n.path() == null)) {
            // runc renames a joined UTS namespace too, so set it only where the namespace is ours
            root.put("hostname", in.hostname());
        }
        root.set("mounts", mounts(in));
        root.set("linux", linux(in));
        if (!in.annotations().isEmpty()) {
            ObjectNode ann = root.putObject("annotations");
            in.annotations().forEach(ann::put);
        }
        return root;
    }

    private static ObjectNode process(Input in) {
        ObjectNode p = Json.MAPPER.createObjectNode();
        p.put("terminal", in.terminal());
        ObjectNode user = p.putObject("user");
        user.put("uid", in.user().uid());
        user.put("gid", in.user().gid());
        user.put("umask", in.user().umask());
        if (!in.user().additionalGids().isEmpty()) {
            ArrayNode g = user.putArray("additionalGids");
            in.user().additionalGids().forEach(g::add);
        }
        strings(p.putArray("args"), in.args());
        strings(p.putArray("env"), in.env());
        p.put("cwd", in.cwd());
        ObjectNode caps = p.putObject("capabilities");
        for (String set : List.of("bounding", "effective", "permitted")) {
            strings(caps.putArray(set), in.capabilities());
        }
        ArrayNode rl = p.putArray("rlimits");
        for (Rlimit r : in.rlimits()) {
            ObjectNode o = rl.addObject();
            o.put("type", r.type());
            o.put("hard", new java.math.BigInteger(Long.toUnsignedString(r.hard())));
            o.put("soft", new java.math.BigInteger(Long.toUnsignedString(r.soft())));
        }
        if (in.noNewPrivileges()) {
            p.put("noNewPrivileges", true);
        }
        return p;
    }

    private static ArrayNode mounts(Input in) {
        ArrayNode m = Json.MAPPER.createArrayNode();
        mount(m, "/proc", "proc", "proc", List.of("nosuid", "noexec", "nodev"));
        mount(m, "/dev", "tmpfs", "tmpfs", List.of("nosuid", "strictatime", "mode=755", "size=65536k"));
        mount(m, "/sys", "sysfs", "sysfs",
                in.privileged() ? List.of("nosuid", "noexec", "nodev", "rw") : List.of("nosuid", "noexec", "nodev", "ro"));
        mount(m, "/dev/pts", "devpts", "devpts",
                List.of("nosuid", "noexec", "newinstance", "ptmxmode=0666", "mode=0620", "gid=5"));
        mount(m, "/dev/mqueue", "mqueue", "mqueue", List.of("nosuid", "noexec", "nodev"));
        boolean userShm = in.mounts().stream().anyMatch(x -> x.destination().equals("/dev/shm"));
        if (!userShm) {
            mount(m, "/dev/shm", "tmpfs", "shm", List.of("nosuid", "noexec", "nodev", "mode=1777",
                    "size=" + in.shmSizeBytes()));
        }
        mount(m, "/sys/fs/cgroup", "cgroup", "cgroup",
                List.of("rprivate", "nosuid", "noexec", "nodev", "relatime", in.privileged() ? "rw" : "ro"));
        for (OciMount x : in.mounts()) {
            mount(m, x.destination(), x.type(), x.source(), x.options());
        }
        return m;
    }

    private static void mount(ArrayNode m, String dest, String type, String source, List<String> options) {
        ObjectNode o = m.addObject();
        o.put("destination", dest);
        o.put("type", type);
        o.put("source", source);
        strings(o.putArray("options"), options);
    }

    private static ObjectNode linux(Input in) {
        ObjectNode l = Json.MAPPER.createObjectNode();
        ObjectNode res = l.putObject("resources");
        ObjectNode dev = res.putArray("devices").addObject();
        dev.put("allow", in.privileged());
        dev.put("access", "rwm");
        if (in.memoryBytes() != null) {
            res.putObject("memory").put("limit", in.memoryBytes());
        }
        if (in.cpuQuota() != null || in.cpuShares() != null || in.cpusetCpus() != null || in.cpusetMems() != null) {
            ObjectNode cpu = res.putObject("cpu");
            if (in.cpusetCpus() != null) {
                cpu.put("cpus", in.cpusetCpus());
            }
            if (in.cpusetMems() != null) {
                cpu.put("mems", in.cpusetMems());
            }
            if (in.cpuShares() != null) {
                cpu.put("shares", in.cpuShares());
            }
            if (in.cpuQuota() != null) {
                cpu.put("quota", in.cpuQuota());
                cpu.put("period", in.cpuPeriod() == null ? 100_000L : in.cpuPeriod());
            }
        }
        if (in.pidsLimit() != null && in.pidsLimit() > 0) {
            res.putObject("pids").put("limit", in.pidsLimit());
        }
        if (in.cgroupsPath() != null) {
            l.put("cgroupsPath", in.cgroupsPath());
        }
        if (!in.sysctls().isEmpty()) {
            ObjectNode s = l.putObject("sysctl");
            in.sysctls().forEach(s::put);
        }
        ArrayNode ns = l.putArray("namespaces");
        for (Namespace n : in.namespaces()) {
            ObjectNode o = ns.addObject();
            o.put("type", n.type());
            if (n.path() != null) {
                o.put("path", n.path());
            }
        }
        if (in.seccomp() != null && !in.privileged()) {
            l.set("seccomp", in.seccomp());
        }
        if (!in.privileged()) {
            strings(l.putArray("maskedPaths"), MASKED_PATHS.stream()
                    .filter(p -> !in.unmasked().contains(p) && !in.unmasked().contains("ALL")).toList());
            if (!in.extraMasked().isEmpty()) {
                in.extraMasked().forEach(((ArrayNode) l.get("maskedPaths"))::add);
            }
            strings(l.putArray("readonlyPaths"), READONLY_PATHS.stream()
                    .filter(p -> !in.unmasked().contains(p) && !in.unmasked().contains("ALL")).toList());
        }
        return l;
    }

    private static void strings(ArrayNode a, List<String> values) {
        values.forEach(a::add);
    }
}
