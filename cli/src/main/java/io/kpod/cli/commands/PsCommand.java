package io.kpod.cli.commands;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kpod.cli.Output;
import io.kpod.cli.views.ContainerViews;
import io.kpod.engine.state.StateStore.ContainerRow;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code kpod ps}: Podman's columns, {@code --format json|TEMPLATE}, {@code -q}, {@code --filter}. */
@Command(name = "ps", aliases = {"ls", "list"}, description = "List containers")
public final class PsCommand extends BaseCommand {
    static final String DEFAULT_FORMAT =
            "table {{.ID}}\t{{.Image}}\t{{.Command}}\t{{.CreatedHuman}}\t{{.Status}}\t{{.Ports}}\t{{.Names}}";
    static final Map<String, String> HEADERS = Map.of("ID", "CONTAINER ID", "CreatedHuman", "CREATED",
            "RunningFor", "CREATED", "Names", "NAMES", "Image", "IMAGE", "Command", "COMMAND", "Status", "STATUS",
            "Ports", "PORTS");

    @Option(names = {"-a", "--all"}, description = "Show all containers, not only running ones")
    boolean all;

    @Option(names = {"-q", "--quiet"}, description = "Print only the container IDs")
    boolean quiet;

    @Option(names = "--no-trunc", description = "Do not truncate the output")
    boolean noTrunc;

    @Option(names = "--format", description = "json, or a Go template")
    String format;

    @Option(names = {"-f", "--filter"}, description = "Filter: id, name, status, label, exited, ancestor, pod")
    List<String> filters = new ArrayList<>();

    @Option(names = {"-n", "--latest"}, description = "Show only the latest container")
    boolean latest;

    @Option(names = {"-l", "--last"}, description = "Show the n last created containers")
    Integer last;

    @Option(names = "--pod", description = "Show the pod of each container")
    boolean pod;

    @Option(names = {"-s", "--size"}, description = "Accepted for compatibility")
    boolean size;

    @Override
    public Integer call() {
        Predicate<ContainerRow> keep = PsFilters.parse(filters, all);
        List<ContainerRow> rows = kpod().containers().list().stream().filter(keep).toList();
        if (latest && !rows.isEmpty()) {
            rows = List.of(rows.get(rows.size() - 1));
        }
        if (last != null && rows.size() > last) {
            rows = rows.subList(rows.size() - last, rows.size());
        }
        if (quiet) {
            rows.forEach(r -> out().println(noTrunc ? r.record().id() : r.record().shortId()));
            return 0;
        }
        if ("json".equals(format)) {
            Output.json(out(), rows.stream().map(ContainerViews::psJson).toList());
            return 0;
        }
        Map<String, String> podNames = new java.util.HashMap<>();
        kpod().pods().list().forEach(p -> podNames.put(p.id(), p.name()));
        List<ObjectNode> items = new ArrayList<>();
        for (ContainerRow r : rows) {
            ObjectNode o = ContainerViews.psTemplate(r, noTrunc, kpod().paths());
            String podId = r.record().podId();
            o.put("Pod", podId == null ? "" : noTrunc ? podId : podId.substring(0, 12));
            o.put("PodName", podId == null ? "" : podNames.getOrDefault(podId, ""));
            items.add(o);
        }
        String dflt = pod ? DEFAULT_FORMAT + "\t{{.Pod}}\t{{.PodName}}" : DEFAULT_FORMAT;
        Map<String, String> headers = new java.util.HashMap<>(HEADERS);
        headers.put("Pod", "POD ID");
        headers.put("PodName", "PODNAME");
        Output.template(out(), format == null ? dflt : format, items, headers, format != null);
        return 0;
    }
}
