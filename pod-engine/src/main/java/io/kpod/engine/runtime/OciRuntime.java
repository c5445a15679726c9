package io.kpod.engine.runtime;

import com.fasterxml.jackson.databind.JsonNode;
import io.kpod.engine.Json;
import io.kpod.spec.KpodException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A thin wrapper over runc/crun's command line (state, start, kill, delete, exec). The argv
 * builders are pure so tests can check them; everything runs with the engine's own
 * {@code --root} so that {@code runc list} shows only kpod's containers.
 */
public final class OciRuntime {
    private final String binary;
    private final Path stateRoot;
    private final ProcessRunner runner;

    /** What {@code runc state} reports. */
    public record State(String status, int pid) {
    }

    public OciRuntime(String binary, Path stateRoot, ProcessRunner runner) {
        this.binary = binary;
        this.stateRoot = stateRoot;
        this.runner = runner;
    }

    public String binary() {
        return binary;
    }

    public Path stateRoot() {
        return stateRoot;
    }

    public List<String> argv(String... args) {
        List<String> argv = new ArrayList<>(List.of(binary, "--root=" + stateRoot));
        argv.addAll(List.of(args));
        return argv;
    }

    /** The container's runtime state, or empty when the runtime does not know it. */
    public Optional<State> state(String id) {
        ProcessRunner.Result r = runner.run(argv("state", id), cleanEnv(), null, 30_000);
        if (!r.ok()) {
            return Optional.empty();
        }
        JsonNode node = Json.read(r.stdout(), JsonNode.class);
        return Optional.of(new State(node.path("status").asText(), node.path("pid").asInt()));
    }

    public void start(String id) {
        check(runner.run(argv("start", id), cleanEnv(), null, 60_000), "start", id);
    }

    /** Freezes every process of the container (its cgroup freezer). */
    public void pause(String id) {
        check(runner.run(argv("pause", id), cleanEnv(), null, 30_000), "pause", id);
    }

    /** Thaws a container frozen by {@link #pause}. */
    public void resume(String id) {
        check(runner.run(argv("resume", id), cleanEnv(), null, 30_000), "resume", id);
    }

    /** Sends a signal; returns false when the container no longer runs. */
    public boolean kill(String id, String signal, boolean all) {
        List<String> a = all ? argv("kill", "--all", id, signal) : argv("kill", id, signal);
        ProcessRunner.Result r = runner.run(a, cleanEnv(), null, 30_000);
        if (r.ok()) {
            return true;
        }
        String msg = r.stderr();
        if (msg.contains("not running") || msg.contains("does not exist") || msg.contains("container not running")) {
            return false;
        }
        throw KpodException.runtime(binary + " kill " + id + " failed: " + lastLine(msg));
    }

    /** Deletes the runtime's record of a stopped container; a missing one is not an error. */
    public void delete(String id, boolean force) {
        ProcessRunner.Result r = runner.run(force ? argv("delete", "--force", id) : argv("delete", id),
                cleanEnv(), null, 60_000);
        if (!r.ok() && !r.stderr().contains("does not exist")) {
            throw KpodException.runtime(binary + " delete " + id + " failed: " + lastLine(r.stderr()));
        }
    }

    private void check(ProcessRunner.Result r, String what, String id) {
        if (!r.ok()) {
            throw KpodException.runtime(binary + " " + what + " " + id + " failed: " + lastLine(r.stderr()));
        }
    }

    public static Map<String, String> cleanEnv() {
        return Map.of("PATH", "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin", "HOME", "/root");
    }

    /** runc's errors are JSON lines or plain text; keep the last meaningful line for people. */
    public static String lastLine(String text) {
        String[] lines = text.strip().split("\n");
        String last = lines.length == 0 ? "" : lines[lines.length - 1];
        if (last.startsWith("{")) {
            try {
                JsonNode n = Json.MAPPER.readTree(last);
                if (n.has("msg")) {
                    return n.get("msg").asText();
                }
            } catch (java.io.IOException ignored) {
                // not JSON after all; show it as it is
            }
        }
        int msg = last.indexOf("msg=\"");
        if (msg >= 0) {
            String m = last.substring(msg + 5);
            int end = m.lastIndexOf('"');
            return (end > 0 ? m.substring(0, end) : m).replace("\\\"", "\"");
        }
        return last;
    }
}
