package io.kpod.cli.commands;

import io.kpod.engine.image.ImagePuller;
import io.kpod.kube.play.KubePlay;
import io.kpod.kube.play.PlayOptions;
import io.kpod.kube.yaml.KubeYaml;
import io.kpod.kube.yaml.ManifestSource;
import io.kpod.kube.yaml.ParseResult;
import io.kpod.kube.yaml.ParsedDocument;
import io.kpod.spec.KpodException;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.URI;
import io.kpod.engine.Http;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code kpod kube play|down}: Kubernetes YAML to pods and back out. */
@Command(name = "kube", description = "Play Kubernetes YAML and take it down",
        subcommands = {KubeCommand.Play.class, KubeCommand.Down.class, KubeCommand.Generate.class,
                KubeCommand.Lint.class})
public final class KubeCommand extends GroupCommand {

    /** Reads the manifests named on the command line: files, directories, {@code -}, http(s) URLs. */
    static ParseResult parse(List<String> args, boolean strict) {
        KubeYaml yaml = KubeYaml.builder().strict(strict).build();
        List<ManifestSource> sources = new ArrayList<>();
        for (String a : args) {
            if (a.startsWith("http://") || a.startsWith("https://")) {
                sources.add(ManifestSource.text(a, fetch(a)));
            } else {
                sources.addAll(ManifestSource.resolve(a, System.in));
            }
        }
        return yaml.parse(sources);
    }

    private static String fetch(String url) {
        try {
            return new String(Http.get(URI.create(url), Duration.ofSeconds(30)), java.nio.charset.StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw KpodException.invalid("cannot fetch " + url + ": " + e.getMessage());
        } catch (IllegalArgumentException e) {
            throw KpodException.invalid("invalid URL " + url);
        }
    }

    /**
     * Which manifest made an object: the absolute paths of the files (or the URLs), sorted;
     * {@code -} for standard input. A later play or down of the same files finds its pods.
     */
    static String manifestKey(List<String> args) {
        TreeSet<String> parts = new TreeSet<>();
        for (String a : args) {
            if (a.equals("-") || a.startsWith("http://") || a.startsWith("https://")) {
                parts.add(a);
            } else {
                parts.add(Path.of(a).toAbsolutePath().normalize().toString());
            }
        }
        return String.join(",", parts);
    }

    /** {@code kube play FILE…}. */
    @Command(name = "play", description = "Create pods, volumes and secrets from Kubernetes YAML")
    public static class Play extends BaseCommand {
        @Parameters(arity = "1..*", paramLabel = "FILE") List<String> files = new ArrayList<>();
        @Option(names = "--down", description = "Remove what the YAML made instead") boolean down;
        @Option(names = "--force", description = "With --down: also remove the volumes of PersistentVolumeClaims") boolean force;
        @Option(names = "--replace", description = "Remove and re-create pods that already exist") boolean replace;
        @Option(names = "--start", arity = "0..1", fallbackValue = "true", description = "Start the pods (default true)")
        boolean start = true;
        @Option(names = "--network", description = "Networks for the pods (default: " + KubePlay.KUBE_NETWORK + ")")
        List<String> networks = new ArrayList<>();
        @Option(names = "--publish", description = "Publish a container port: [hostIP:][hostPort:]containerPort[/proto]")
        List<String> publish = new ArrayList<>();
        @Option(names = "--publish-all", description = "Publish every containerPort on the same host port")
        boolean publishAll;
        @Option(names = "--configmap", description = "YAML file(s) with ConfigMaps for the pods") List<String> configmaps = new ArrayList<>();
        @Option(names = "--log-driver") String logDriver;
        @Option(names = "--log-opt") List<String> logOpts = new ArrayList<>();
        @Option(names = {"-q", "--quiet"}) boolean quiet;
        @Option(names = {"-w", "--wait"}, description = "Stay in the foreground; tear down on SIGINT/SIGTERM or when all pods exit")
        boolean waitFlag;
        @Option(names = "--annotation") List<String> annotations = new ArrayList<>();
        @Option(names = "--ip") List<String> ips = new ArrayList<>();
        @Option(names = "--mac-address") List<String> macs = new ArrayList<>();
        @Option(names = "--no-hosts") boolean noHosts;
        @Option(names = "--validate", description = "lenient (default) or strict: fields kpod does not honour become errors")
        String validate = "lenient";
        @Option(names = "--authfile") Path authFile;
        @Option(names = "--tls-verify", arity = "0..1", fallbackValue = "true") Boolean tlsVerify;
        @Option(names = "--service-container", arity = "0..1", fallbackValue = "true",
                description = "Run a service pod whose conmon is the systemd service's main process (Quadlet .kube)")
        boolean serviceContainer;
        @Option(names = "--userns", description = "User namespace of every played pod: host (default) or auto[:size=N]")
        String userns;
        @Option(names = "--service-exit-code-propagation", paramLabel = "all|any|none",
                description = "How the service pod's exit reflects the containers' (only none is supported)")
        String exitCodePropagation;

        @Override
        public Integer call() {
            if (!validate.equals("lenient") && !validate.equals("strict")) {
                throw KpodException.invalid("invalid --validate \"" + validate + "\": use lenient or strict");
            }
            io.kpod.engine.container.UserNamespaces.parseMode(userns);
            if (exitCodePropagation != null && !exitCodePropagation.equals("none")) {
                if (!exitCodePropagation.equals("all") && !exitCodePropagation.equals("any")) {
                    throw KpodException.invalid("invalid --service-exit-code-propagation \"" + exitCodePropagation
                            + "\": use all, any or none");
                }
                // conmon, the service's main process, always exits 0: say so instead of pretending
                throw KpodException.invalid("--service-exit-code-propagation=" + exitCodePropagation
                        + " is not supported: the service pod's conmon always exits 0 (use none)");
            }
            boolean strict = validate.equals("strict");
            ParseResult parsed = parse(files, strict);
            String key = manifestKey(files);
            KubePlay play = kpod().kubePlay();
            if (down) {
                printDown(out(), play.down(parsed, key, force));
                return 0;
            }
            List<ParsedDocument> cms = configmaps.isEmpty() ? List.of() : parse(configmaps, strict).documents();
            Map<String, String> ann = new LinkedHashMap<>();
            for (String a : annotations) {
                int eq = a.indexOf('=');
                if (eq <= 0) {
                    throw KpodException.invalid("invalid --annotation \"" + a + "\": expected KEY=VALUE");
                }
                ann.put(a.substring(0, eq), a.substring(eq + 1));
            }
            String driver = logDriver;
            if (driver != null && !driver.equals("k8s-file") && !driver.equals("none") && !driver.equals("passthrough")) {
                throw KpodException.invalid("log driver \"" + driver + "\" is not supported: use k8s-file or none");
            }
            ImagePuller.Options pull = new ImagePuller.Options(Optional.ofNullable(authFile),
                    Optional.ofNullable(tlsVerify), Optional.empty(), Optional.empty(), Optional.empty(),
                    quiet ? null : System.err);
            Map<String, String> logOptions = io.kpod.cli.ContainerFlags.logOptions(logOpts);
            PlayOptions opts = new PlayOptions(start, replace, networks, publish, publishAll, driver, ann, ips, macs,
                    noHosts, strict, pull, logOptions, serviceContainer, userns);
            KubePlay.Report report = play.play(parsed, cms, key, opts);
            for (String w : report.warnings()) {
                err().println("Warning: " + w);
            }
            err().flush();
            if (!quiet) {
                printPlay(out(), report);
            }
            out().flush();
            if (waitFlag) {
                waitThenDown(play, parsed, key, report);
            }
            return 0;
        }

        private void waitThenDown(KubePlay play, ParseResult parsed, String key, KubePlay.Report report) {
            Thread main = Thread.currentThread();
            Object done = new Object();
            boolean[] finished = {false};
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                main.interrupt();
                synchronized (done) {
                    long deadline = System.nanoTime() + 60_000_000_000L;
                    while (!finished[0] && System.nanoTime() < deadline) {
                        try {
                            done.wait(200);
                        } catch (InterruptedException e) {
                            return;
                        }
                    }
                }
            }));
            try {
                while (!Thread.currentThread().isInterrupted()) {
                    java.util.Set<String> ids = new java.util.HashSet<>();
                    report.pods().forEach(p -> ids.add(p.id()));
                    boolean anyRunning = kpod().pods().views().stream().filter(v -> ids.contains(v.pod().id()))
                            .map(v -> v.status()).anyMatch(st -> st.equals("Running") || st.equals("Degraded"));
                    if (!anyRunning) {
                        break;
                    }
                    Thread.sleep(1000);
                }
            } catch (InterruptedException e) {
                // SIGINT/SIGTERM: tear down below
            }
            Thread.interrupted();
            try {
                printDown(out(), play.down(parsed, key, false));
                out().flush();
            } finally {
                synchronized (done) {
                    finished[0] = true;
                    done.notifyAll();
                }
            }
        }
    }

    static void printPlay(PrintWriter out, KubePlay.Report report) {
        if (!report.volumes().isEmpty()) {
            out.println("Volumes:");
            report.volumes().forEach(out::println);
            out.println();
        }
        if (!report.secrets().isEmpty()) {
            out.println("Secrets:");
            report.secrets().forEach(out::println);
            out.println();
        }
        for (KubePlay.PodResult p : report.pods()) {
            out.println("Pod:");
            out.println(p.id());
            if (!p.containerIds().isEmpty()) {
                out.println(p.containerIds().size() == 1 ? "Container:" : "Containers:");
                p.containerIds().forEach(out::println);
            }
            if (!p.initIds().isEmpty()) {
                out.println(p.initIds().size() == 1 ? "Init Container:" : "Init Containers:");
                p.initIds().forEach(out::println);
            }
            out.println();
        }
        if (!report.removedPods().isEmpty()) {
            out.println("Pods removed:");
            report.removedPods().forEach(out::println);
        }
    }

    static void printDown(PrintWriter out, KubePlay.DownReport r) {
        if (!r.stoppedPods().isEmpty()) {
            out.println("Pods stopped:");
            r.stoppedPods().forEach(out::println);
            out.println("Pods removed:");
            r.removedPods().forEach(out::println);
        }
        if (!r.removedSecrets().isEmpty()) {
            out.println("Secrets removed:");
            r.removedSecrets().forEach(out::println);
        }
        if (!r.removedVolumes().isEmpty()) {
            out.println("Volumes removed:");
            r.removedVolumes().forEach(out::println);
        }
    }

    /** {@code kube down FILE…}. */
    @Command(name = "down", description = "Remove the pods, containers, volumes and secrets that a play of the YAML made")
    public static final class Down extends BaseCommand {
        @Parameters(arity = "1..*", paramLabel = "FILE") List<String> files = new ArrayList<>();
        @Option(names = "--force", description = "Also remove the volumes of PersistentVolumeClaims") boolean force;

        @Override
        public Integer call() {
            ParseResult parsed = parse(files, false);
            printDown(out(), kpod().kubePlay().down(parsed, manifestKey(files), force));
            return 0;
        }
    }

    /** {@code kube generate POD|CONTAINER|VOLUME…}. */
    @Command(name = "generate", description = "Generate Kubernetes YAML from pods, containers and volumes")
    public static class Generate extends BaseCommand {
        @Parameters(arity = "1..*", paramLabel = "NAME") List<String> names = new ArrayList<>();
        @Option(names = {"-t", "--type"}, description = "pod (default), deployment, daemonset or job; played pods give"
                + " back their own workload unless another type is asked for") String type;
        @Option(names = {"-r", "--replicas"}, description = "Replicas of a Deployment (default 1)") int replicas = 1;
        @Option(names = {"-s", "--service"}, description = "Also a NodePort Service for the published ports") boolean service;
        @Option(names = {"-f", "--filename"}, description = "Write to this file (it must not exist)") Path file;
        @Option(names = "--podman-only", description = "Keep kpod's and Podman's own labels and annotations") boolean podmanOnly;
        @Option(names = "--lint", description = "Print what would surprise a cluster (host paths and ports, no limits or"
                + " probes, root, localhost/ images) instead of the YAML") boolean lint;

        @Override
        public Integer call() throws IOException {
            var opts = new io.kpod.kube.generate.KubeGenerator.Options(type == null ? "pod" : type, replicas, service,
                    podmanOnly);
            var sources = kpod().playSources();
            Map<String, io.fabric8.kubernetes.api.model.HasMetadata> played = new LinkedHashMap<>();
            List<io.kpod.kube.generate.KubeGenerator.Subject> subjects = new ArrayList<>();
            java.util.Set<String> volumes = new java.util.LinkedHashSet<>();
            kpod().volumes().list().forEach(v -> volumes.add(v.name()));
            List<String> volumeOnly = new ArrayList<>();
            var rows = kpod().containers().list();
            for (String n : names) {
                var pod = kpod().pods().list().stream().filter(p -> p.name().equals(n) || p.id().startsWith(n))
                        .findFirst();
                if (pod.isPresent()) {
                    List<io.kpod.engine.state.ContainerRecord> members = rows.stream().map(r -> r.record())
                            .filter(r -> pod.get().id().equals(r.podId()) && !r.infra()).toList();
                    if (members.isEmpty()) {
                        throw KpodException.invalid("pod " + pod.get().name() + " has no containers to generate");
                    }
                    // a played pod gives back the objects its workload was played from
                    String workload = pod.get().spec().labels().get(io.kpod.kube.play.KubeLabels.WORKLOAD);
                    var source = workload == null ? java.util.Optional.<List<io.fabric8.kubernetes.api.model.HasMetadata>>empty()
                            : sources.of(workload);
                    if (source.isPresent() && (type == null || type.equalsIgnoreCase(source.get().get(0).getKind()))) {
                        source.get().forEach(o -> played.putIfAbsent(o.getKind() + "/" + o.getMetadata().getName(), o));
                        continue;
                    }
                    subjects.add(new io.kpod.kube.generate.KubeGenerator.Subject(pod.get(), members));
                    continue;
                }
                if (volumes.contains(n)) {
                    volumeOnly.add(n);
                    continue;
                }
                var row = kpod().containers().lookup(n);
                if (row.record().podId() != null) {
                    throw KpodException.invalid("container " + row.record().name()
                            + " belongs to a pod: generate the pod instead");
                }
                subjects.add(new io.kpod.kube.generate.KubeGenerator.Subject(null, List.of(row.record())));
            }
            var result = new io.kpod.kube.generate.KubeGenerator().generate(subjects, volumes, opts);
            List<io.fabric8.kubernetes.api.model.HasMetadata> objects = new ArrayList<>();
            for (String v : volumeOnly) {
                objects.add(new io.fabric8.kubernetes.api.model.PersistentVolumeClaimBuilder().withNewMetadata()
                        .withName(v).endMetadata().withNewSpec().withAccessModes("ReadWriteOnce").withNewResources()
                        .addToRequests("storage", new io.fabric8.kubernetes.api.model.Quantity("1Gi")).endResources()
                        .endSpec().build());
            }
            objects.addAll(result.objects());
            for (var o : played.values()) {
                if (o instanceof io.fabric8.kubernetes.api.model.Secret secret) {
                    o = withBase64Data(secret);
                    err().println("Warning: Secret " + secret.getMetadata().getName()
                            + " is printed with its values (base64 is an encoding, not encryption)");
                }
                String key = o.getKind() + "/" + o.getMetadata().getName();
                if (objects.stream().noneMatch(x -> (x.getKind() + "/" + x.getMetadata().getName()).equals(key))) {
                    objects.add(o);
                }
            }
            // what a cluster needs first goes first: ConfigMaps and Secrets, claims, workloads, Services
            objects.sort(java.util.Comparator.comparingInt(o -> switch (o.getKind()) {
                case "ConfigMap", "Secret" -> 0;
                case "PersistentVolumeClaim" -> 1;
                case "Service" -> 3;
                default -> 2;
            }));
            for (String w : result.warnings()) {
                err().println("Warning: " + w);
            }
            if (lint) {
                return Lint.report(out(), io.kpod.kube.generate.KubeLint.lint(objects));
            }
            // Podman's header, so that the file says what made it and what to do with it
            String yaml = "# Save the output of this file and use kubectl create -f to import\n"
                    + "# it into Kubernetes.\n#\n# Created with kpod-" + VersionCommand.VERSION + "\n"
                    + KubeYaml.create().dump(objects);
            if (file != null) {
                if (java.nio.file.Files.exists(file)) {
                    throw KpodException.conflict("cannot write to " + file + ": the file exists");
                }
                java.nio.file.Files.writeString(file, yaml);
            } else {
                out().print(yaml);
                out().flush();
            }
            return 0;
        }
    }

    /** A Secret with its {@code stringData} moved into {@code data}, base64, as a cluster stores it. */
    static io.fabric8.kubernetes.api.model.Secret withBase64Data(io.fabric8.kubernetes.api.model.Secret s) {
        Map<String, String> data = new java.util.TreeMap<>();
        if (s.getData() != null) {
            data.putAll(s.getData());
        }
        if (s.getStringData() != null) {
            s.getStringData().forEach((k, v) -> data.put(k, java.util.Base64.getEncoder()
                    .encodeToString(v.getBytes(java.nio.charset.StandardCharsets.UTF_8))));
        }
        return new io.fabric8.kubernetes.api.model.SecretBuilder(s).withData(data).withStringData(null).build();
    }

    /**
     * {@code kube lint FILE…}: what in the manifests would surprise a user moving them to a
     * cluster, one line each; exit code 1 when there is anything to say.
     */
    @Command(name = "lint", description = "Report what in Kubernetes YAML would behave differently on a cluster")
    public static class Lint extends BaseCommand {
        @Parameters(arity = "1..*", paramLabel = "FILE") List<String> files = new ArrayList<>();

        @Override
        public Integer call() {
            return report(out(), io.kpod.kube.generate.KubeLint.lint(parse(files, false).resources()));
        }

        static int report(PrintWriter out, List<String> findings) {
            findings.forEach(out::println);
            out.flush();
            return findings.isEmpty() ? 0 : 1;
        }
    }
}
