package io.kpod.engine.pod;

import io.kpod.infra.DnsConfig;
import io.kpod.infra.HostEntry;
import io.kpod.infra.InfraContainerPlan;
import io.kpod.infra.NetworkMode;
import io.kpod.infra.SandboxRequest;
import io.kpod.infra.SharedNamespaces;
import io.kpod.spec.PodSpec;
import java.nio.file.Path;

/**
 * A pod as kpod stores it: the user's spec, its id, the id of its infra container, and for a
 * Job's pod how many of its runs succeeded. The sandbox plan (namespaces, pins, etc files) is
 * derived from it, never stored.
 *
 * @param job null until a run of a Job's pod (one whose spec has completions) succeeded
 */
public record PodRecord(String id, String name, PodSpec spec, String created, String infraId, JobProgress job) {
    /**
     * A Job's pod's successful runs so far, and the run counted last (the start time of its
     * latest-started container), so that the exit callbacks of one run count it once.
     */
    public record JobProgress(int succeeded, String countedRun) {
    }

    /** A pod no run of which has been counted. */
    public PodRecord(String id, String name, PodSpec spec, String created, String infraId) {
        this(id, name, spec, created, infraId, null);
    }

    /** Runs of a Job's pod in which every container (init containers aside) exited 0. */
    public int succeeded() {
        return job == null ? 0 : job.succeeded();
    }

    public PodRecord withSpec(PodSpec s) {
        return new PodRecord(id, name, s, created, infraId, job);
    }

    public PodRecord withJob(JobProgress j) {
        return new PodRecord(id, name, spec, created, infraId, j);
    }

    public String shortId() {
        return id.substring(0, 12);
    }

    /** The cgroup parent all of the pod's containers live under. */
    public String cgroupParent() {
        return "/kpod/" + id;
    }

    public InfraContainerPlan plan(Path runRoot) {
        SandboxRequest req = SandboxRequest.builder(id, name, runRoot)
                .hostname(spec.hostname())
                .share(withUser(SharedNamespaces.parse(spec.share()), spec.userns() != null))
                .network(spec.networkMode().equals("host") ? NetworkMode.host() : NetworkMode.loopbackOnly())
                .dns(new DnsConfig(spec.dnsServers(), spec.dnsSearches(), spec.dnsOptions()))
                .extraHosts(spec.addHosts().stream().map(HostEntry::parseAddHost).toList())
                .noHosts(spec.noHosts())
                .build();
        return InfraContainerPlan.of(req);
    }

    /** A pod with a user namespace shares it: the infra makes it, the members join it. */
    private static java.util.Set<io.kpod.infra.Namespace> withUser(java.util.Set<io.kpod.infra.Namespace> shared,
                                                                  boolean userns) {
        if (!userns) {
            return shared;
        }
        java.util.Set<io.kpod.infra.Namespace> all = java.util.EnumSet.noneOf(io.kpod.infra.Namespace.class);
        all.addAll(shared);
        all.add(io.kpod.infra.Namespace.USER);
        return all;
    }
}
