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
 * A pod as kpod stores it: the user's spec, its id, and the id of its infra container.
 * The sandbox plan (namespaces, pins, etc files) is derived from it, never stored.
 */
public record PodRecord(String id, String name, PodSpec spec, String created, String infraId) {
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
                .share(SharedNamespaces.parse(spec.share()))
                .network(spec.networkMode().equals("host") ? NetworkMode.host() : NetworkMode.loopbackOnly())
                .dns(new DnsConfig(spec.dnsServers(), spec.dnsSearches(), spec.dnsOptions()))
                .extraHosts(spec.addHosts().stream().map(HostEntry::parseAddHost).toList())
                .noHosts(spec.noHosts())
                .build();
        return InfraContainerPlan.of(req);
    }
}
