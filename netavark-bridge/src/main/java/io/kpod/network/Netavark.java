package io.kpod.network;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import io.kpod.spec.KpodException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/** Sets up and tears down a container's network namespace with netavark. */
public final class Netavark {
    private static final String SYSLOG_NOISE = "failed to connect to syslog";
    private static final String LOCK_FILE = "kpod-netavark.lock";
    private final NetavarkConfig config;
    private final ProcessLauncher launcher;

    public Netavark(NetavarkConfig config) {
        this(config, ProcessLauncher.system());
    }

    public Netavark(NetavarkConfig config, ProcessLauncher launcher) {
        this.config = config;
        this.launcher = launcher;
    }

    /** {@code netavark --config <state> --rootless=false --aardvark-binary=<path> <verb> <netns>}. */
    public static List<String> argv(NetavarkConfig config, String verb, String netnsPath) {
        List<String> argv = new ArrayList<>();
        argv.add(config.netavarkBinary().toString());
        argv.add("--config");
        argv.add(config.stateDir().toString());
        argv.add("--rootless=false");
        argv.add("--aardvark-binary=" + config.aardvarkBinary());
        argv.add(verb);
        argv.add(netnsPath);
        return argv;
    }

    /**
     * netavark edits host-wide firewall chains and does not serialize itself (1.4): two setups
     * at once fail with "Chain already exists". Every kpod process and thread takes this one
     * host-wide lock around a netavark call.
     */
    private Path lockFile() {
        Path runLock = Path.of("/run/lock");
        return Files.isDirectory(runLock) && Files.isWritable(runLock) ? runLock.resolve("kpod-netavark.lock")
                : config.stateDir().resolve("netavark.lock");
    }

    /** Attaches the namespace to the networks; returns netavark's status per network name. */
    public Map<String, NetworkStatus> setup(String netnsPath, NetworkOptions options) {
        options.validate();
        ProcessResult r = call("setup", netnsPath, options);
        try {
            return NetworkJson.mapper().readValue(r.stdout(), new TypeReference<Map<String, NetworkStatus>>() { });
        } catch (IOException e) {
            throw KpodException.runtime("netavark setup returned output kpod cannot read: " + r.stdoutText().trim(), e);
        }
    }

    /**
     * Adds {@code names} to, or removes them from, the names aardvark-dns answers for the
     * container on each of {@code networks}, in the entries netavark's setup wrote
     * ({@code <state>/aardvark-dns/<network>}: one line per container, "id ipv4s ipv6s names"),
     * under the same host-wide lock as netavark itself. Networks without DNS, or without an
     * entry for the container, are left alone. Returns whether an entry changed; then
     * aardvark-dns must be told to reload ({@link #aardvarkPidFile}, SIGHUP).
     */
    public boolean setDnsNames(String containerId, java.util.Collection<String> networks,
                               java.util.Collection<String> names, boolean present) {
        Path dir = config.stateDir().resolve("aardvark-dns");
        return FileLocks.locked(lockFile(), () -> {
            boolean changed = false;
            for (String network : networks) {
                Path file = dir.resolve(network);
                if (!Files.isRegularFile(file)) {
                    continue;
                }
                try {
                    String before = Files.readString(file);
                    String after = AardvarkEntries.withNames(before, containerId, names, present);
                    if (!after.equals(before)) {
                        // the new content is written beside the directory aardvark reads, then renamed in
                        Path tmp = Files.createTempFile(config.stateDir(), ".aardvark-" + network + ".", ".tmp");
                        try {
                            Files.writeString(tmp, after);
                            Files.setPosixFilePermissions(tmp, java.nio.file.attribute.PosixFilePermissions
                                    .fromString("rw-r--r--"));
                            Files.move(tmp, file, java.nio.file.StandardCopyOption.ATOMIC_MOVE,
                                    java.nio.file.StandardCopyOption.REPLACE_EXISTING);
                        } finally {
                            Files.deleteIfExists(tmp);
                        }
                        changed = true;
                    }
                } catch (IOException e) {
                    throw KpodException.internal("cannot update the DNS names in " + file, e);
                }
            }
            return changed;
        });
    }

    /** The file netavark keeps aardvark-dns's pid in. */
    public Path aardvarkPidFile() {
        return config.stateDir().resolve("aardvark-dns").resolve("aardvark.pid");
    }

    /** Detaches the namespace; give the same options as to setup. */
    public void teardown(String netnsPath, NetworkOptions options) {
        call("teardown", netnsPath, options);
    }

    private ProcessResult call(String verb, String netnsPath, NetworkOptions options) {
        List<String> argv = argv(config, verb, netnsPath);
        ProcessResult r;
        try {
            // netavark 1.4 creates <state>/aardvark-dns without parents and fails if <state> is missing.
            java.nio.file.Files.createDirectories(config.stateDir());
        } catch (IOException e) {
            throw KpodException.internal("cannot create netavark state dir " + config.stateDir(), e);
        }
        // one netavark at a time on the whole host, as netavark 1.4 does not serialize itself: two
        // setups at once fail with "Chain already exists", and two teardowns running at once each
        // see the other's veth on the bridge, and neither removes the network's rules
        r = FileLocks.locked(lockFile(), () -> {
            try {
                return launcher.run(argv, NetworkJson.compact(options));
            } catch (IOException e) {
                throw KpodException.runtime("cannot run " + config.netavarkBinary() + ": " + e.getMessage()
                        + "; is netavark installed?", e);
            }
        });
        if (r.exitCode() != 0) {
            throw KpodException.runtime("netavark " + verb + " for container " + options.containerId() + " failed: "
                    + errorMessage(r));
        }
        return r;
    }

    /** netavark's {"error": …} message, else its stderr without the syslog complaint. */
    static String errorMessage(ProcessResult r) {
        try {
            JsonNode node = NetworkJson.mapper().readTree(r.stdout());
            if (node != null && node.hasNonNull("error")) {
                return node.get("error").asText();
            }
        } catch (IOException e) {
            // not JSON: fall back to stderr
        }
        String err = meaningfulStderr(r.stderrText());
        String out = r.stdoutText().trim();
        String msg = !err.isEmpty() ? err : out;
        return msg.isEmpty() ? "exit code " + r.exitCode() : msg;
    }

    static String meaningfulStderr(String stderr) {
        return stderr.lines().filter(l -> !l.contains(SYSLOG_NOISE)).map(String::strip).filter(l -> !l.isEmpty())
                .collect(Collectors.joining("; "));
    }
}
