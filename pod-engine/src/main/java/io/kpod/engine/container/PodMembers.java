package io.kpod.engine.container;

import io.kpod.engine.oci.OciMount;
import io.kpod.engine.oci.OciSpecBuilder;
import io.kpod.engine.pod.PodRecord;
import io.kpod.engine.pod.PodSandbox;
import io.kpod.engine.state.ContainerRecord;
import io.kpod.infra.InfraContainerPlan;
import io.kpod.infra.Namespace;
import io.kpod.infra.NamespaceEntry;
import io.kpod.infra.NamespacePin;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Turns a standalone container's OCI input into a pod's: the infra creates (or rejoins the
 * pinned) namespaces and owns the hostname; members join the pinned namespaces and share the
 * pod's /etc/hosts, /etc/resolv.conf, /etc/hostname and /dev/shm.
 */
final class PodMembers {
    private static final Set<String> POD_FILES = Set.of("/etc/hosts", "/etc/resolv.conf", "/etc/hostname", "/dev/shm");

    private PodMembers() {
    }

    static OciSpecBuilder.Input input(OciSpecBuilder.Input in, ContainerRecord rec, PodRecord pod, PodSandbox sandbox) {
        InfraContainerPlan plan = sandbox.plan(pod);
        List<OciSpecBuilder.Namespace> ns = new ArrayList<>();
        if (rec.infra()) {
            for (NamespaceEntry e : plan.infraNamespaces()) {
                NamespacePin pin = plan.pins().stream().filter(p -> p.type() == e.type()).findFirst().orElse(null);
                boolean rejoin = pin != null && e.type() != Namespace.PID && sandbox.pinned(pin);
                ns.add(new OciSpecBuilder.Namespace(e.ociType(), rejoin ? pin.target().toString()
                        : e.path() == null ? null : e.path().toString()));
            }
        } else {
            for (NamespaceEntry e : plan.memberNamespaces()) {
                ns.add(new OciSpecBuilder.Namespace(e.ociType(), e.path() == null ? null : e.path().toString()));
            }
        }
        List<OciMount> mounts = new ArrayList<>();
        for (OciMount m : in.mounts()) {
            if (!POD_FILES.contains(m.destination()) || rec.spec().mounts().stream()
                    .anyMatch(u -> u.destination().equals(m.destination()))) {
                mounts.add(m);
            }
        }
        mounts.add(new OciMount("/etc/hostname", "bind", plan.hostnameFile().toString(), List.of("bind", "rprivate")));
        if (plan.managesHosts()) {
            mounts.add(new OciMount("/etc/hosts", "bind", plan.hostsFile().toString(), List.of("bind", "rprivate")));
        }
        mounts.add(new OciMount("/etc/resolv.conf", "bind", plan.resolvConfFile().toString(), List.of("bind", "rprivate")));
        if (plan.request().shares(Namespace.IPC)) {
            mounts.add(new OciMount("/dev/shm", "bind", sandbox.shmDir(pod).toString(),
                    List.of("bind", "rprivate", "nosuid", "noexec", "nodev")));
        }
        List<String> args = rec.infra() ? plan.pauseArgs() : in.args();
        List<String> env = new ArrayList<>();
        for (String e : in.env()) {
            env.add(e.startsWith("HOSTNAME=") ? "HOSTNAME=" + plan.hostname() : e);
        }
        // --cgroups=split puts even a pod's member below its service's cgroup, as Podman does
        String cgroups = !rec.infra() && rec.spec().systemd().cgroupsMode().equals("split") ? in.cgroupsPath()
                : pod.cgroupParent() + "/" + rec.id();
        java.util.Map<String, String> sysctls = new java.util.LinkedHashMap<>(in.sysctls());
        if (!rec.infra() && plan.request().shares(Namespace.NET)) {
            // the netns belongs to the infra: a member may not change its sysctls
            sysctls.keySet().removeIf(k -> k.startsWith("net."));
        }
        return new OciSpecBuilder.Input(args, env, rec.infra() ? "/" : in.cwd(), in.user(), in.terminal(),
                in.rootfs(), rec.infra() || in.readOnlyRootfs(), plan.hostname(), in.capabilities(),
                in.noNewPrivileges(), in.privileged(), in.seccomp(), in.extraMasked(), in.unmasked(), in.rlimits(),
                sysctls, in.memoryBytes(), in.cpuQuota(), in.cpuPeriod(), in.cpuShares(), in.cpusetCpus(),
                in.cpusetMems(), rec.infra() ? null : in.pidsLimit(), cgroups, ns, mounts, in.shmSizeBytes(), in.annotations());
    }

}
