package io.kpod.cli.commands;

import io.kpod.cli.views.ContainerViews;
import io.kpod.engine.state.StateStore.ContainerRow;
import io.kpod.network.PortMapping;
import io.kpod.spec.KpodException;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code kpod port CONTAINER [PORT[/PROTO]]}: the host ports published for a container (its
 * pod's, for a pod member), one {@code 80/tcp -> 0.0.0.0:8080} line each, or only the host
 * address and port a given container port is published on. Ports exist while the network is
 * up, so a container that does not run has none, as with Podman.
 */
@Command(name = "port", description = "List port mappings or a specific mapping for the container")
public final class PortCommand extends BaseCommand {
    @Parameters(arity = "0..2", paramLabel = "CONTAINER [PORT[/PROTO]]")
    List<String> args = new ArrayList<>();

    @Option(names = {"-a", "--all"}, description = "Display port information for all running containers")
    boolean all;

    @Option(names = {"-l", "--latest"}, description = "Act on the latest container kpod is aware of")
    boolean latest;

    @Override
    public Integer call() {
        if (all && (latest || !args.isEmpty())) {
            throw KpodException.invalid(latest ? "--all and --latest cannot be used together"
                    : "no arguments are needed with --all");
        }
        List<ContainerRow> rows;
        String port = null;
        if (all) {
            rows = kpod().containers().list().stream().filter(r -> r.state().status().isActive()).toList();
        } else if (latest) {
            if (args.size() > 1) {
                throw KpodException.invalid("--latest takes at most one argument, the port");
            }
            List<ContainerRow> every = kpod().containers().list();
            if (every.isEmpty()) {
                throw KpodException.notFound("no containers to list ports of");
            }
            rows = List.of(every.get(every.size() - 1));
            port = args.isEmpty() ? null : args.get(0);
        } else {
            if (args.isEmpty()) {
                throw KpodException.invalid("you must supply a running container name or id");
            }
            rows = List.of(kpod().containers().lookup(args.get(0)));
            port = args.size() > 1 ? args.get(1) : null;
        }
        int wanted = 0;
        String proto = "tcp";
        if (port != null) {
            String[] f = port.split("/", -1);
            if (f.length > 2 || !f[0].matches("[0-9]{1,5}") || (f.length == 2 && !f[1].matches("tcp|udp|sctp"))) {
                throw KpodException.invalid("invalid port \"" + port + "\": expected PORT or PORT/PROTO (tcp, udp, sctp)");
            }
            wanted = Integer.parseInt(f[0]);
            proto = f.length == 2 ? f[1] : "tcp";
        }
        for (ContainerRow row : rows) {
            String prefix = all ? row.record().shortId() + "\t" : "";
            boolean found = false;
            List<PortMapping> ports = row.state().status().isActive()
                    ? ContainerViews.publishedPorts(row.record(), kpod().paths()) : List.of();
            for (PortMapping p : ports) {
                for (String pr : p.protocol().split(",")) {
                    for (int i = 0; i < Math.max(1, p.range()); i++) {
                        if (port == null) {
                            out().println(prefix + (p.containerPort() + i) + "/" + pr + " -> " + ContainerViews.hostIp(p)
                                    + ":" + (p.hostPort() + i));
                        } else if (!found && p.containerPort() + i == wanted && pr.equals(proto)) {
                            out().println(prefix + ContainerViews.hostIp(p) + ":" + (p.hostPort() + i));
                            found = true;
                        }
                    }
                }
            }
            if (port != null && !found) {
                throw KpodException.notFound("failed to find published port \"" + port + "\" of container "
                        + row.record().name());
            }
        }
        return 0;
    }
}
