package io.kpod.engine.check;

import io.kpod.engine.EngineContext;
import io.kpod.engine.EnginePaths;
import io.kpod.engine.container.ContainerService;
import io.kpod.engine.network.NetworkService;
import io.kpod.engine.pod.PodRecord;
import io.kpod.engine.state.StateStore.ContainerRow;
import io.kpod.engine.sys.FileTrees;
import io.kpod.engine.sys.Libc;
import io.kpod.network.Network;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

/**
 * {@code kpod system check [--repair]}: finds what a killed kpod, conmon or a reboot can leave
 * behind, and with {@code repair} removes it: rootfs and namespace mounts without a running
 * container, container and pod dirs without a row, runc state and conmon processes without a
 * container, addresses held for containers and pods that no longer exist. Leftovers younger
 * than a minute may belong to a command still at work and are only touched with {@code force}.
 */
public final class SystemCheck {
    private static final Duration YOUNG = Duration.ofSeconds(60);

    /** One problem found: what, which object, and whether it was repaired. */
    public record Finding(String kind, String object, String problem, boolean repaired) {
    }

    private final EngineContext ctx;
    private final ContainerService containers;
    private final NetworkService networks;

    public SystemCheck(EngineContext ctx, ContainerService containers, NetworkService networks) {
        this.ctx = ctx;
        this.containers = containers;
        this.networks = networks;
    }

    public List<Finding> run(boolean repair, boolean force) {
        List<Finding> out = new ArrayList<>();
        EnginePaths paths = ctx.paths();
        List<ContainerRow> rows = containers.list(); // syncs every row with the runtime
        Set<String> ids = new HashSet<>();
        Set<String> active = new HashSet<>();
        for (ContainerRow r : rows) {
            ids.add(r.record().id());
            if (r.state().status().isActive()) {
                active.add(r.record().id());
            }
        }
        Set<String> podIds = new HashSet<>();
        for (PodRecord p : ctx.store().listNamed("pods", PodRecord.class)) {
            podIds.add(p.id());
        }
        Set<String> mounts = mountPoints();

        // rows whose runtime is gone but whose rootfs or netns is still mounted
        for (ContainerRow r : rows) {
            String id = r.record().id();
            if (active.contains(id)) {
                continue;
            }
            Path rootfs = paths.rootfsMount(id);
            if (mounts.contains(rootfs.toString())) {
                out.add(fix("mount", r.record().name(), "rootfs still mounted though the container is not running",
                        repair, () -> Libc.unmount(rootfs, true)));
            }
            for (String m : mountsUnder(mounts, paths.imageMountsDir(id))) {
                out.add(fix("mount", r.record().name(), "image mount " + m + " still mounted though the container is "
                        + "not running", repair, () -> Libc.unmount(Path.of(m), true)));
            }
            Path pin = paths.containerRunDir(id).resolve("netns");
            if (mounts.contains(pin.toString())) {
                out.add(fix("netns", r.record().name(), "network namespace still pinned though the container is "
                        + "not running", repair, () -> {
                            networks.teardown(pin, paths.containerRunDir(id).resolve(NetworkService.OPTIONS_FILE));
                            Libc.unmount(pin, true);
                        }));
            }
            if (ctx.runtime().state(id).isPresent()) {
                out.add(fix("runtime", r.record().name(), "runc still has state for a container that is not "
                        + "running", repair, () -> ctx.runtime().delete(id, true)));
            }
        }

        // files, state and processes of containers that have no row
        for (Path dir : children(paths.graphRoot().resolve("containers"))) {
            String id = dir.getFileName().toString();
            if (!ids.contains(id) && (force || old(dir))) {
                out.add(fix("container", id, "container files without a container", repair, () -> {
                    for (String m : mountsUnder(mounts, paths.imageMountsDir(id))) {
                        Libc.unmount(Path.of(m), true);
                    }
                    Libc.unmount(paths.rootfsMount(id), true);
                    FileTrees.delete(dir);
                }));
            }
        }
        for (Path dir : children(paths.runRoot().resolve("containers"))) {
            String id = dir.getFileName().toString();
            if (!ids.contains(id) && (force || old(dir))) {
                out.add(fix("container", id, "run-time files without a container", repair, () -> {
                    Path pin = dir.resolve("netns");
                    if (mounts.contains(pin.toString())) {
                        networks.teardown(pin, dir.resolve(NetworkService.OPTIONS_FILE));
                        Libc.unmount(pin, true);
                    }
                    FileTrees.delete(dir);
                }));
            }
        }
        for (Path dir : children(paths.runcRoot())) {
            String id = dir.getFileName().toString();
            if (!ids.contains(id) && (force || old(dir))) {
                out.add(fix("runtime", id, "runc state without a container", repair,
                        () -> ctx.runtime().delete(id, true)));
            }
        }
        for (Map.Entry<Long, String> c : conmons().entrySet()) {
            if (!ids.contains(c.getValue())) {
                out.add(fix("process", "conmon " + c.getKey(), "monitors container " + c.getValue()
                        + ", which does not exist", repair, () -> Libc.kill(c.getKey().intValue(), 9)));
            }
        }

        // pods
        for (Path dir : children(paths.runRoot().resolve("pods"))) {
            String id = dir.getFileName().toString();
            if (!podIds.contains(id) && (force || old(dir))) {
                out.add(fix("pod", id, "pod files and pinned namespaces without a pod", repair, () -> {
                    List<String> under = mounts.stream().filter(m -> m.startsWith(dir + "/"))
                            .sorted(Comparator.reverseOrder()).toList();
                    Path netPin = dir.resolve("ns").resolve("net");
                    if (under.contains(netPin.toString())) {
                        networks.teardown(netPin, dir.resolve(NetworkService.OPTIONS_FILE));
                    }
                    for (String m : under) {
                        Libc.unmount(Path.of(m), true);
                    }
                    FileTrees.delete(dir);
                }));
            }
        }

        // addresses
        Set<String> owners = new HashSet<>(ids);
        owners.addAll(podIds);
        for (Network n : networks.store().list()) {
            for (Map.Entry<String, List<InetAddress>> a : networks.ipam().allocations(n).entrySet()) {
                if (!owners.contains(a.getKey())) {
                    out.add(fix("address", n.name() + " " + a.getValue(), "held for " + a.getKey()
                            + ", which is neither a container nor a pod", repair,
                            () -> networks.ipam().release(n, a.getKey())));
                }
            }
        }
        return out;
    }

    private interface Repair {
        void run() throws IOException;
    }

    private static Finding fix(String kind, String object, String problem, boolean repair, Repair r) {
        if (!repair) {
            return new Finding(kind, object, problem, false);
        }
        try {
            r.run();
            return new Finding(kind, object, problem, true);
        } catch (IOException | RuntimeException e) {
            return new Finding(kind, object, problem + " (repair failed: " + e.getMessage() + ")", false);
        }
    }

    private static boolean old(Path p) {
        try {
            FileTime t = Files.getLastModifiedTime(p);
            return t.toInstant().isBefore(Instant.now().minus(YOUNG));
        } catch (IOException e) {
            return true;
        }
    }

    private static List<Path> children(Path dir) {
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(p -> Files.isDirectory(p) && p.getFileName().toString().matches("[0-9a-f]{64}")).toList();
        } catch (IOException e) {
            return List.of();
        }
    }

    /** The mount points below {@code dir}, deepest first. */
    private static List<String> mountsUnder(Set<String> mounts, Path dir) {
        return mounts.stream().filter(m -> m.startsWith(dir + "/")).sorted(Comparator.reverseOrder()).toList();
    }

    private static Set<String> mountPoints() {
        Set<String> out = new HashSet<>();
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/mountinfo"))) {
                String[] f = line.split(" ");
                if (f.length > 4) {
                    out.add(f[4].replace("\\040", " "));
                }
            }
        } catch (IOException e) {
            // no mount information: mount checks find nothing
        }
        return out;
    }

    /** conmon processes of this run root, by pid, with the container id they monitor. */
    private Map<Long, String> conmons() {
        Map<Long, String> out = new java.util.TreeMap<>();
        String runRoot = ctx.paths().runRoot().toString();
        try (Stream<Path> procs = Files.list(Path.of("/proc"))) {
            for (Path p : procs.toList()) {
                String name = p.getFileName().toString();
                if (!name.chars().allMatch(Character::isDigit)) {
                    continue;
                }
                try {
                    String[] argv = new String(Files.readAllBytes(p.resolve("cmdline")), StandardCharsets.UTF_8)
                            .split("\0");
                    if (argv.length == 0 || !argv[0].endsWith("conmon") || !String.join(" ", argv).contains(runRoot)) {
                        continue;
                    }
                    for (int i = 0; i + 1 < argv.length; i++) {
                        if (argv[i].equals("-c")) {
                            out.put(Long.parseLong(name), argv[i + 1]);
                        }
                    }
                } catch (IOException | RuntimeException e) {
                    // the process ended while we looked
                }
            }
        } catch (IOException e) {
            // no /proc: nothing to find
        }
        return out;
    }
}
