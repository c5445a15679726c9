package io.kpod.cli.commands;

import io.kpod.engine.EnginePaths;
import io.kpod.engine.pod.PodRecord;
import io.kpod.engine.state.ContainerRecord;
import io.kpod.engine.state.StateStore.ContainerRow;
import io.kpod.kube.generate.SystemdUnits;
import io.kpod.spec.KpodException;
import io.kpod.spec.NoSuchObjectException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code kpod generate systemd|kube}. */
@Command(name = "generate", description = "Generate systemd units and Kubernetes YAML from pods and containers",
        subcommands = {GenerateCommand.Systemd.class, GenerateCommand.Kube.class})
public final class GenerateCommand extends GroupCommand {
    /** {@code generate kube NAME…}: Podman's older spelling of {@code kube generate}. */
    @Command(name = "kube", description = "Generate Kubernetes YAML from pods, containers and volumes")
    public static final class Kube extends KubeCommand.Generate {
    }

    /** {@code generate systemd CONTAINER|POD}. */
    @Command(name = "systemd", description = "Generate systemd units for a container or a pod and its containers")
    public static final class Systemd extends BaseCommand {
        @Parameters(index = "0", paramLabel = "CONTAINER|POD") String target;
        @Option(names = {"-n", "--name"}, description = "Use names instead of ids") boolean useNames;
        @Option(names = "--new", arity = "0..1", fallbackValue = "true",
                description = "Create the container or pod afresh at start and remove it at stop")
        Boolean fresh;
        @Option(names = "--template", description = "Template units (name@.service): the instance names the "
                + "container or pod, so one unit file runs several copies; implies --new")
        boolean template;
        @Option(names = {"-f", "--files"}, description = "Write one file per unit into the current directory")
        boolean files;
        @Option(names = "--restart-policy", description = "Restart= of the units (default on-failure)")
        String restart = "on-failure";
        @Option(names = "--restart-sec") Integer restartSec;
        @Option(names = {"-t", "--time", "--stop-timeout"}, description = "Stop timeout in seconds") Integer time;
        @Option(names = "--start-timeout") Integer startTimeout;
        @Option(names = "--container-prefix") String containerPrefix = "container";
        @Option(names = "--pod-prefix") String podPrefix = "pod";
        @Option(names = "--separator") String separator = "-";
        @Option(names = "--no-header") boolean noHeader;
        @Option(names = "--wants") List<String> wants = new ArrayList<>();
        @Option(names = "--after") List<String> after = new ArrayList<>();
        @Option(names = "--requires") List<String> requires = new ArrayList<>();
        @Option(names = {"-e", "--env"}) List<String> env = new ArrayList<>();
        @Option(names = "--format", description = "json for a map of unit names to contents") String format;

        @Override
        public Integer call() throws IOException {
            if (template && Boolean.FALSE.equals(fresh)) {
                throw KpodException.invalid("--template cannot be set with --new=false");
            }
            EnginePaths p = kpod().paths();
            List<String> self = new ArrayList<>();
            String bin = System.getenv("KPOD_SELF");
            self.add(bin == null || bin.isEmpty() ? "kpod" : bin);
            if (!p.graphRoot().equals(EnginePaths.DEFAULT_GRAPH_ROOT)) {
                self.addAll(List.of("--root", p.graphRoot().toString()));
            }
            if (!p.runRoot().equals(EnginePaths.DEFAULT_RUN_ROOT)) {
                self.addAll(List.of("--runroot", p.runRoot().toString()));
            }
            if (!p.networkConfigDir().equals(EnginePaths.DEFAULT_NETWORK_DIR)) {
                self.addAll(List.of("--network-config-dir", p.networkConfigDir().toString()));
            }
            SystemdUnits.Options opts = new SystemdUnits.Options(self, useNames, Boolean.TRUE.equals(fresh), template, restart, restartSec, time,
                    startTimeout, containerPrefix, podPrefix, separator, !noHeader, wants, after, requires, env,
                    p.runRoot().toString(), p.graphRoot().toString(), VersionCommand.VERSION);
            SystemdUnits gen = new SystemdUnits(opts, java.time.ZonedDateTime.now().format(
                    java.time.format.DateTimeFormatter.RFC_1123_DATE_TIME));
            Map<String, String> units = generate(gen);
            if (files) {
                for (Map.Entry<String, String> u : units.entrySet()) {
                    Path f = Path.of(u.getKey()).toAbsolutePath();
                    Files.writeString(f, u.getValue());
                    out().println(f);
                }
            } else if ("json".equals(format)) {
                out().println(io.kpod.engine.Json.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(units));
            } else {
                boolean first = true;
                for (String content : units.values()) {
                    if (!first) {
                        out().println();
                    }
                    out().print(content);
                    first = false;
                }
            }
            out().flush();
            return 0;
        }

        private Map<String, String> generate(SystemdUnits gen) {
            PodRecord pod = null;
            try {
                pod = kpod().pods().lookup(target);
            } catch (NoSuchObjectException e) {
                // not a pod: a container
            }
            if (pod != null) {
                ContainerRecord infra = null;
                List<ContainerRecord> members = new ArrayList<>();
                for (ContainerRow r : kpod().containers().list()) {
                    if (pod.id().equals(r.record().podId())) {
                        if (r.record().infra()) {
                            infra = r.record();
                        } else {
                            members.add(r.record());
                        }
                    }
                }
                return gen.pod(pod, infra, members);
            }
            ContainerRecord c = kpod().containers().lookup(target).record();
            if (c.podId() != null) {
                throw KpodException.invalid("container " + c.name() + " belongs to a pod: generate the pod's units");
            }
            return gen.container(c);
        }
    }
}
