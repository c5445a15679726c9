package io.kpod.engine.container;

import io.kpod.engine.EngineContext;
import io.kpod.engine.network.NetworkService;
import io.kpod.engine.pod.PodRecord;
import io.kpod.engine.pod.PodSandbox;
import io.kpod.engine.state.ContainerRecord;
import io.kpod.engine.state.ObjectLock;
import io.kpod.engine.state.StateStore.ContainerRow;
import io.kpod.infra.EtcFileWriter;
import io.kpod.network.MacAddress;
import io.kpod.network.Network;
import io.kpod.network.NetworkOptions;
import io.kpod.network.NetworkStatus;
import io.kpod.network.ResolvConf;
import io.kpod.spec.KpodException;
import io.kpod.spec.NetworkAttachment;
import io.kpod.spec.NetworkSpec;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * {@code network connect}, {@code disconnect} and {@code reload} for one container. A pod's
 * containers share the infra's network, so for a pod member or infra the pod is connected, as
 * Podman does. A running owner gets just that network set up or torn down by netavark on its
 * live netns; a stopped one only has it recorded, and its next start sets it up.
 */
final class NetworkConnector {
    private final EngineContext ctx;
    private final ContainerService containers;
    private final NetworkService networks;
    private final PodSandbox sandbox;

    NetworkConnector(EngineContext ctx, ContainerService containers, NetworkService networks) {
        this.ctx = ctx;
        this.containers = containers;
        this.networks = networks;
        this.sandbox = new PodSandbox(ctx, networks);
    }

    /** Who owns a container's network: itself or its pod; how to read and store its spec; where it runs. */
    private interface Owner {
        String id();

        String describe();

        NetworkSpec spec();

        void save(NetworkSpec spec);

        /** The running set-up: netns and options file, empty when the owner's network is not up. */
        Optional<Path> netns();

        Path optionsFile();

        Path resolvConf();

        List<String> aliases();
    }

    void connect(String networkRef, String containerRef, NetworkAttachment attachment) {
        Network net = networks.store().inspect(networkRef);
        checkAttachment(attachment);
        withOwner(containerRef, owner -> {
            List<String> current = joined(owner.spec());
            if (current.contains(net.name())) {
                throw KpodException.conflict(owner.describe() + " is already connected to network " + net.name());
            }
            NetworkSpec next = owner.spec().connected(current, net.name(), attachment);
            Optional<Path> netns = owner.netns();
            if (netns.isPresent()) {
                Map<String, NetworkStatus> status = networks.connect(owner.id(), owner.aliases(), next, net,
                        netns.get(), owner.optionsFile());
                updateResolvConf(owner.resolvConf(), c -> ResolvConf.withNameservers(c,
                        status.values().stream().flatMap(s -> s.dnsServerIps().stream()).toList(),
                        status.values().stream().flatMap(s -> s.dnsSearchDomains().stream()).distinct().toList()));
            } else {
                networks.checkAttachment(net, attachment, owner.id());
            }
            owner.save(next);
        });
    }

    void disconnect(String networkRef, String containerRef, boolean force) {
        Network net = networks.store().inspect(networkRef);
        withOwner(containerRef, owner -> {
            List<String> current = joined(owner.spec());
            if (!current.contains(net.name())) {
                throw KpodException.invalid(owner.describe() + " is not connected to network " + net.name());
            }
            if (current.size() == 1) {
                throw KpodException.invalid("network " + net.name() + " is the only network of " + owner.describe()
                        + "; connect it to another network first");
            }
            Optional<Path> netns = owner.netns();
            if (netns.isPresent()) {
                Optional<NetworkOptions> before = networks.readOptions(owner.optionsFile());
                try {
                    networks.disconnect(net.name(), netns.get(), owner.optionsFile());
                } catch (KpodException e) {
                    if (!force) {
                        throw e;
                    }
                }
                Set<String> gone = new HashSet<>();
                if (net.dnsEnabled()) {
                    net.subnets().forEach(s -> s.gatewayAddress().ifPresent(g ->
                            gone.add(io.kpod.network.IpAddresses.format(g))));
                }
                // a server another remaining network also uses stays
                before.ifPresent(o -> o.networkInfo().values().stream().filter(n -> !n.name().equals(net.name()))
                        .filter(Network::dnsEnabled).forEach(n -> n.subnets().forEach(s -> s.gatewayAddress()
                                .ifPresent(g -> gone.remove(io.kpod.network.IpAddresses.format(g))))));
                updateResolvConf(owner.resolvConf(), c -> ResolvConf.withoutNameservers(c, gone));
            }
            networks.ipam().release(net, owner.id());
            owner.save(owner.spec().disconnected(current, net.name()));
        });
    }

    /** Re-creates the firewall rules, port forwarding and DNS entries of a running container; false if it has none. */
    boolean reload(String containerRef) {
        boolean[] done = {false};
        withOwner(containerRef, owner -> owner.netns().ifPresent(ns -> done[0] = networks.reload(ns, owner.optionsFile())));
        return done[0];
    }

    private static void checkAttachment(NetworkAttachment a) {
        if (a.mac() != null) {
            MacAddress.normalize(a.mac());
        }
        if (a.ip() != null && (a.ip().contains(":") || !a.ip().matches("[0-9.]+"))) {
            throw KpodException.invalid("invalid IPv4 address \"" + a.ip() + "\" for --ip");
        }
        if (a.ip6() != null && !a.ip6().contains(":")) {
            throw KpodException.invalid("invalid IPv6 address \"" + a.ip6() + "\" for --ip6");
        }
    }

    /** The names of the networks a spec joins (the default network when it names none). */
    private List<String> joined(NetworkSpec spec) {
        List<String> out = new ArrayList<>();
        networks.networksOf(spec).forEach(n -> out.add(n.name()));
        return out;
    }

    private interface OwnerAction {
        void run(Owner owner);
    }

    private void withOwner(String containerRef, OwnerAction action) {
        ContainerRecord rec = containers.lookup(containerRef).record();
        if (rec.podId() != null) {
            PodRecord pod0 = sandbox.pod(rec.podId()).orElseThrow(() ->
                    KpodException.notFound("the pod of container " + rec.name() + " no longer exists"));
            try (ObjectLock l = ObjectLock.acquire(ctx.paths().locksDir(), "pod-" + pod0.id())) {
                PodRecord pod = sandbox.pod(rec.podId()).orElseThrow(() ->
                        KpodException.notFound("the pod of container " + rec.name() + " no longer exists"));
                if (!pod.spec().networkMode().equals("bridge")) {
                    throw KpodException.invalid("pod " + pod.name() + " does not use a bridge network (network mode "
                            + pod.spec().networkMode() + ")");
                }
                action.run(podOwner(pod));
            }
            return;
        }
        if (!rec.spec().networkMode().equals("bridge")) {
            throw KpodException.invalid("container " + rec.name() + " does not use a bridge network (network mode "
                    + rec.spec().networkMode() + ")");
        }
        try (ObjectLock l = ObjectLock.acquire(ctx.paths().locksDir(), rec.id())) {
            ContainerRow row = containers.lookup(rec.id());
            action.run(containerOwner(row));
        }
    }

    private Owner podOwner(PodRecord pod) {
        return new Owner() {
            public String id() {
                return pod.id();
            }

            public String describe() {
                return "pod " + pod.name();
            }

            public NetworkSpec spec() {
                return pod.spec().network();
            }

            public void save(NetworkSpec spec) {
                ctx.store().updateNamed("pods", pod.name(), pod.withSpec(pod.spec().withNetwork(spec)));
            }

            public Optional<Path> netns() {
                return Files.exists(optionsFile()) ? sandbox.netns(pod) : Optional.empty();
            }

            public Path optionsFile() {
                return sandbox.optionsFile(pod);
            }

            public Path resolvConf() {
                return sandbox.plan(pod).resolvConfFile();
            }

            public List<String> aliases() {
                return pod.infraId() == null ? List.of() : List.of(pod.infraId().substring(0, 12));
            }
        };
    }

    private Owner containerOwner(ContainerRow row) {
        ContainerRecord rec = row.record();
        Path runDir = ctx.paths().containerRunDir(rec.id());
        return new Owner() {
            public String id() {
                return rec.id();
            }

            public String describe() {
                return "container " + rec.name();
            }

            public NetworkSpec spec() {
                return rec.spec().network();
            }

            public void save(NetworkSpec spec) {
                ctx.store().updateContainerRecord(rec.withSpec(rec.spec().withNetwork(spec)));
            }

            public Optional<Path> netns() {
                return row.state().status().isActive() && Files.exists(optionsFile())
                        ? Optional.of(runDir.resolve("netns")) : Optional.empty();
            }

            public Path optionsFile() {
                return runDir.resolve(NetworkService.OPTIONS_FILE);
            }

            public Path resolvConf() {
                return ctx.paths().bundleDir(rec.id()).resolve("resolvconf");
            }

            public List<String> aliases() {
                return List.of(rec.shortId());
            }
        };
    }

    private static void updateResolvConf(Path file, java.util.function.UnaryOperator<String> edit) {
        try {
            if (Files.exists(file)) {
                EtcFileWriter.rewriteInPlace(file, edit.apply(Files.readString(file)));
            }
        } catch (IOException e) {
            throw KpodException.internal("cannot update " + file + ": " + e.getMessage(), e);
        }
    }
}
