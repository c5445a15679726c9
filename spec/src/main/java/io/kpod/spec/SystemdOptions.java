package io.kpod.spec;

import java.util.List;

/**
 * How a container fits into a systemd service, as {@code run}/{@code create} flags say it (the
 * flags Quadlet puts on its command lines).
 *
 * @param cidFile {@code --cidfile}: where the id was written; the file goes when the container is removed
 * @param conmonPidFile {@code --conmon-pidfile}: rewritten with conmon's pid at every start
 * @param sdNotify {@code --sdnotify}: container (the default: the container itself sends READY=1 through the
 *                 socket kpod mounts into it), conmon (kpod sends READY=1 once the container runs), healthy
 *                 (kpod sends READY=1 once the health check passes) or ignore
 * @param notifySocket the {@code NOTIFY_SOCKET} kpod saw when the container was created, or null
 * @param cgroupsMode {@code --cgroups}: enabled (under kpod's own cgroup tree), split (under the cgroup of the
 *                    creating process, as systemd's service cgroup), no-conmon (like enabled: kpod never
 *                    moves conmon into a cgroup)
 * @param cgroupParent for split: the cgroup the creating process was in
 */
public record SystemdOptions(String cidFile, String conmonPidFile, String sdNotify, String notifySocket,
                             String cgroupsMode, String cgroupParent) {
    public static final List<String> NOTIFY_MODES = List.of("container", "conmon", "healthy", "ignore");
    public static final List<String> CGROUP_MODES = List.of("enabled", "split", "no-conmon");

    public SystemdOptions {
        sdNotify = sdNotify == null || sdNotify.isEmpty() ? "container" : sdNotify;
        if (!NOTIFY_MODES.contains(sdNotify)) {
            throw KpodException.invalid("invalid --sdnotify \"" + sdNotify + "\": use container, conmon, healthy or ignore");
        }
        cgroupsMode = cgroupsMode == null || cgroupsMode.isEmpty() ? "enabled" : cgroupsMode;
        if (cgroupsMode.equals("disabled")) {
            throw KpodException.invalid("--cgroups=disabled is not supported: runc always gives the container a cgroup");
        }
        if (!CGROUP_MODES.contains(cgroupsMode)) {
            throw KpodException.invalid("invalid --cgroups \"" + cgroupsMode + "\": use enabled, split or no-conmon");
        }
        if (cgroupsMode.equals("split") && (cgroupParent == null || !cgroupParent.startsWith("/"))) {
            throw KpodException.invalid("--cgroups=split needs the cgroup of the creating process");
        }
        if (notifySocket != null && notifySocket.isEmpty()) {
            notifySocket = null;
        }
    }

    public static SystemdOptions defaults() {
        return new SystemdOptions(null, null, null, null, null, null);
    }
}
