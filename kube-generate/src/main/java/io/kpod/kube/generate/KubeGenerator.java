package io.kpod.kube.generate;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.ContainerPortBuilder;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.HostAlias;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaimBuilder;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.PodDNSConfigBuilder;
import io.fabric8.kubernetes.api.model.PodDNSConfigOption;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.PodSpecBuilder;
import io.fabric8.kubernetes.api.model.PodTemplateSpecBuilder;
import io.fabric8.kubernetes.api.model.Probe;
import io.fabric8.kubernetes.api.model.ProbeBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.SecurityContext;
import io.fabric8.kubernetes.api.model.SecurityContextBuilder;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.api.model.ServicePort;
import io.fabric8.kubernetes.api.model.ServicePortBuilder;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeBuilder;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.fabric8.kubernetes.api.model.VolumeMountBuilder;
import io.fabric8.kubernetes.api.model.apps.DaemonSetBuilder;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.JobBuilder;
import io.kpod.engine.pod.PodRecord;
import io.kpod.engine.state.ContainerRecord;
import io.kpod.spec.ContainerSpec;
import io.kpod.spec.HealthCheck;
import io.kpod.spec.KpodException;
import io.kpod.spec.RestartPolicy;
import io.kpod.spec.VolumesFrom;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Engine state back to Kubernetes objects: a pod (or a lone container) becomes a Pod,
 * Deployment, DaemonSet or Job; its named volumes become PersistentVolumeClaims; with
 * {@code service}, its published ports a NodePort Service. What is carried is what the user
 * set (command, env, mounts, limits, security, probes), not the image's defaults again.
 * Pure: it reads records, never the engine.
 */
public final class KubeGenerator {
    /** Labels and annotations kpod and Podman use for themselves; kept only with {@code podmanOnly}. */
    private static final List<String> RESERVED_PREFIXES = List.of("io.kpod.", "io.podman.", "io.kubernetes.cri-o.");
    /** Kubernetes' limit for all annotations of one object together. */
    private static final int ANNOTATIONS_LIMIT = 256 * 1024;
    private static final Set<String> DEFAULT_CAPS = Set.of("CHOWN", "DAC_OVERRIDE", "FOWNER", "FSETID", "KILL",
            "NET_BIND_SERVICE", "SETFCAP", "SETGID", "SETPCAP", "SETUID", "SYS_CHROOT");

    /** What to generate. */
    public record Options(String type, int replicas, boolean service, boolean podmanOnly) {
        public Options {
            type = type == null ? "pod" : type.toLowerCase(Locale.ROOT);
            if (!Set.of("pod", "deployment", "daemonset", "job").contains(type)) {
                throw KpodException.invalid("invalid --type \"" + type + "\": use pod, deployment, daemonset or job");
            }
            if (replicas < 0) {
                throw KpodException.invalid("--replicas must not be negative");
            }
            if (replicas != 1 && !type.equals("deployment")) {
                throw KpodException.invalid("--replicas applies to --type deployment only");
            }
        }
    }

    /**
     * One pod, or one container without a pod ({@code pod} null), with its members in creation
     * order (infra excluded).
     */
    public record Subject(PodRecord pod, List<ContainerRecord> containers) {
    }

    /** The objects, in dependency order: claims, workloads, services; plus warnings for stderr. */
    public record Result(List<HasMetadata> objects, List<String> warnings) {
    }

    public Result generate(List<Subject> subjects, Set<String> volumeNames, Options opts) {
        List<HasMetadata> claims = new ArrayList<>();
        List<HasMetadata> workloads = new ArrayList<>();
        List<HasMetadata> services = new ArrayList<>();
        List<String> warnings = new ArrayList<>();
        Set<String> claimed = new LinkedHashSet<>();
        for (Subject s : subjects) {
            String name = s.pod() != null ? s.pod().name() : s.containers().get(0).name() + "-pod";
            String kubeName = kubeName(name);
            Map<String, String> labels = new LinkedHashMap<>();
            Map<String, String> annotations = new LinkedHashMap<>();
            if (s.pod() != null) {
                s.pod().spec().labels().forEach((k, v) -> {
                    if (opts.podmanOnly() || !reserved(k)) {
                        labels.put(k, v);
                    }
                });
            }
            labels.putIfAbsent("app", kubeName);
            List<Container> inits = new ArrayList<>();
            List<Container> containers = new ArrayList<>();
            List<Volume> volumes = new ArrayList<>();
            Map<String, String> volumeNamesByKey = new LinkedHashMap<>();
            List<String> publish = s.pod() != null ? s.pod().spec().network().publish()
                    : s.containers().get(0).spec().network().publish();
            boolean portsPlaced = false;
            for (ContainerRecord c : s.containers()) {
                ContainerSpec spec = c.spec();
                spec.annotations().forEach((k, v) -> {
                    // the bare volumes-from annotation is per container: written below with its name
                    if ((opts.podmanOnly() || !reserved(k)) && !k.equals(VolumesFrom.ANNOTATION)) {
                        annotations.put(k, v);
                    }
                });
                Container k = container(c, name, volumes, volumeNamesByKey, claimed, warnings);
                if (opts.podmanOnly()) {
                    // the switches Podman's kube play reads back per container (kpod's too)
                    if (spec.removeOnExit()) {
                        annotations.put("io.podman.annotations.autoremove/" + k.getName(), "TRUE");
                    }
                    if (spec.init()) {
                        annotations.put("io.podman.annotations.init/" + k.getName(), "TRUE");
                    }
                    if (spec.resources().cpusetCpus() != null) {
                        annotations.put("io.podman.annotations.cpuset/" + k.getName(), spec.resources().cpusetCpus());
                    }
                    String volumesFrom = spec.annotations().get(VolumesFrom.ANNOTATION);
                    if (volumesFrom != null && !volumesFrom.isEmpty()) {
                        annotations.put(VolumesFrom.ANNOTATION + "/" + k.getName(), volumesFrom);
                    }
                    if (spec.resources().cpusetMems() != null) {
                        annotations.put("io.podman.annotations.memory-nodes/" + k.getName(),
                                spec.resources().cpusetMems());
                    }
                }
                if (!portsPlaced && !publish.isEmpty() && !isInit(spec)) {
                    k.setPorts(ports(publish));
                    portsPlaced = true;
                }
                (isInit(spec) ? inits : containers).add(k);
            }
            ContainerSpec first = s.containers().get(0).spec();
            io.kpod.spec.IdMappings userns = s.pod() != null ? s.pod().spec().userns() : first.userns();
            if (userns != null && userns.mode().equals("auto")) {
                // what kube play reads back; a cluster ignores it
                annotations.put("io.podman.annotations.userns", userns.autoSize() == null ? "auto"
                        : "auto:size=" + userns.autoSize());
            } else if (userns != null) {
                warnings.add(name + ": its user namespace mappings (" + userns.uids().get(0) + "…) have no "
                        + "Kubernetes form and are not carried over");
            }
            checkMetadata(name, labels, annotations, warnings);
            PodSpecBuilder pb = new PodSpecBuilder()
                    .withContainers(containers)
                    .withInitContainers(inits.isEmpty() ? null : inits)
                    .withVolumes(volumes.isEmpty() ? null : volumes)
                    .withRestartPolicy(restartPolicy(first.restartPolicy(), opts.type()));
            if (first.stopTimeout() != null) {
                pb.withTerminationGracePeriodSeconds(first.stopTimeout().longValue());
            }
            if (s.pod() != null) {
                var ps = s.pod().spec();
                if (ps.networkMode().equals("host")) {
                    pb.withHostNetwork(true);
                }
                if (ps.hostname() != null && !ps.hostname().isEmpty() && !ps.hostname().equals(name)) {
                    pb.withHostname(ps.hostname());
                }
                if (ps.share() != null && ps.share().contains("pid")) {
                    pb.withShareProcessNamespace(true);
                }
                List<HostAlias> aliases = new ArrayList<>();
                for (String h : ps.addHosts()) {
                    int colon = h.indexOf(':');
                    aliases.add(new HostAlias(List.of(h.substring(0, colon)), h.substring(colon + 1)));
                }
                if (!aliases.isEmpty()) {
                    pb.withHostAliases(aliases);
                }
                if (!ps.dnsServers().isEmpty() || !ps.dnsSearches().isEmpty() || !ps.dnsOptions().isEmpty()) {
                    List<PodDNSConfigOption> dnsOpts = new ArrayList<>();
                    for (String o : ps.dnsOptions()) {
                        int colon = o.indexOf(':');
                        dnsOpts.add(colon < 0 ? new PodDNSConfigOption(o, null)
                                : new PodDNSConfigOption(o.substring(0, colon), o.substring(colon + 1)));
                    }
                    pb.withDnsConfig(new PodDNSConfigBuilder().withNameservers(ps.dnsServers())
                            .withSearches(ps.dnsSearches()).withOptions(dnsOpts).build());
                }
            }
            PodSpec podSpec = pb.build();
            ObjectMeta meta = new ObjectMetaBuilder().withName(kubeName).withLabels(labels)
                    .withAnnotations(annotations.isEmpty() ? null : annotations).build();
            Integer completions = s.pod() == null ? null : s.pod().spec().completions();
            workloads.add(workload(kubeName, meta, podSpec, labels, completions, opts));
            if (opts.service() && !publish.isEmpty()) {
                services.add(service(kubeName, labels, publish));
            }
        }
        for (String v : claimed) {
            if (volumeNames.contains(v)) {
                claims.add(new PersistentVolumeClaimBuilder().withNewMetadata().withName(v).endMetadata()
                        .withNewSpec().withAccessModes("ReadWriteOnce").withNewResources()
                        .addToRequests("storage", new Quantity("1Gi")).endResources().endSpec().build());
            }
        }
        List<HasMetadata> all = new ArrayList<>(claims);
        all.addAll(workloads);
        all.addAll(services);
        return new Result(all, warnings);
    }

    /** {@code completions}: a played Job's, kept for {@code --type job} (Kubernetes' default, 1, left out). */
    private static HasMetadata workload(String name, ObjectMeta meta, PodSpec spec, Map<String, String> labels,
                                        Integer completions, Options opts) {
        var template = new PodTemplateSpecBuilder().withNewMetadata().withLabels(labels)
                .withAnnotations(meta.getAnnotations()).endMetadata().withSpec(spec).build();
        return switch (opts.type()) {
            case "deployment" -> new DeploymentBuilder().withNewMetadata().withName(name).withLabels(labels)
                    .endMetadata().withNewSpec().withReplicas(opts.replicas()).withNewSelector()
                    .withMatchLabels(Map.of("app", labels.get("app"))).endSelector().withTemplate(template)
                    .endSpec().build();
            case "daemonset" -> new DaemonSetBuilder().withNewMetadata().withName(name).withLabels(labels)
                    .endMetadata().withNewSpec().withNewSelector().withMatchLabels(Map.of("app", labels.get("app")))
                    .endSelector().withTemplate(template).endSpec().build();
            case "job" -> new JobBuilder().withNewMetadata().withName(name).withLabels(labels).endMetadata()
                    .withNewSpec().withCompletions(completions != null && completions > 1 ? completions : null)
                    .withTemplate(template).endSpec().build();
            default -> new PodBuilder().withMetadata(meta).withSpec(spec).build();
        };
    }

    private static String restartPolicy(RestartPolicy p, String type) {
        String k = switch (p.mode()) {
            case ALWAYS, UNLESS_STOPPED -> "Always";
            case ON_FAILURE -> "OnFailure";
            case NO -> "Never";
        };
        if (type.equals("job") && k.equals("Always")) {
            return "OnFailure";
        }
        if ((type.equals("deployment") || type.equals("daemonset")) && !k.equals("Always")) {
            return "Always"; // the only value a cluster accepts for these
        }
        return k;
    }

    private Container container(ContainerRecord c, String podName, List<Volume> volumes,
                                Map<String, String> volumeNamesByKey, Set<String> claimed, List<String> warnings) {
        ContainerSpec spec = c.spec();
        String name = c.name().startsWith(podName + "-") ? c.name().substring(podName.length() + 1) : c.name();
        ContainerBuilder b = new ContainerBuilder().withName(kubeName(name)).withImage(spec.image());
        if (spec.process().entrypoint() != null) {
            b.withCommand(spec.process().entrypoint());
        }
        if (spec.process().command() != null && !spec.process().command().isEmpty()) {
            b.withArgs(spec.process().command());
        }
        List<EnvVar> env = new ArrayList<>();
        spec.process().env().forEach((k, v) -> env.add(new EnvVar(k, v, null)));
        if (!env.isEmpty()) {
            b.withEnv(env);
        }
        if (spec.process().workingDir() != null) {
            b.withWorkingDir(spec.process().workingDir());
        }
        if (spec.process().interactive()) {
            b.withStdin(true);
        }
        if (spec.process().tty()) {
            b.withTty(true);
        }
        // resources
        Map<String, Quantity> limits = new LinkedHashMap<>();
        if (spec.resources().memoryBytes() != null) {
            limits.put("memory", new Quantity(Long.toString(spec.resources().memoryBytes())));
        }
        if (spec.resources().cpuQuota() != null && spec.resources().cpuPeriod() != null
                && spec.resources().cpuPeriod() > 0) {
            long milli = spec.resources().cpuQuota() * 1000 / spec.resources().cpuPeriod();
            limits.put("cpu", new Quantity(milli + "m"));
        }
        if (!limits.isEmpty()) {
            b.withNewResources().withLimits(limits).endResources();
        }
        SecurityContext sc = security(spec, c.user());
        if (sc != null) {
            b.withSecurityContext(sc);
        }
        if (spec.healthCheck() != null) {
            b.withLivenessProbe(probe(spec.healthCheck()));
        }
        String readiness = spec.annotations().get("io.kpod.readiness");
        if (readiness != null) {
            try {
                b.withReadinessProbe(probe(io.kpod.engine.Json.MAPPER.readValue(readiness, HealthCheck.class)));
            } catch (java.io.IOException e) {
                warnings.add("container " + c.name() + ": its readiness check cannot be read");
            }
        }
        var postStart = handler(spec.annotations().get("io.kpod.hook.poststart"));
        var preStop = handler(spec.annotations().get("io.kpod.hook.prestop"));
        if (postStart != null || preStop != null) {
            b.withNewLifecycle().withPostStart(postStart).withPreStop(preStop).endLifecycle();
        }
        // mounts
        List<VolumeMount> mounts = new ArrayList<>();
        for (io.kpod.spec.VolumeMount m : spec.mounts()) {
            String key = m.type() + ":" + m.source();
            String volName = volumeNamesByKey.get(key);
            if (volName == null) {
                volName = volumeName(m, volumeNamesByKey.size());
                volumeNamesByKey.put(key, volName);
                volumes.add(volume(m, volName, claimed));
            }
            VolumeMountBuilder vm = new VolumeMountBuilder().withName(volName).withMountPath(m.destination());
            if (m.type() == io.kpod.spec.VolumeMount.Type.IMAGE && !m.readOnly()) {
                warnings.add("container " + c.name() + ": the writable image mount at " + m.destination()
                        + " becomes a read-only image volume");
            }
            if (m.readOnly() || m.type() == io.kpod.spec.VolumeMount.Type.IMAGE) {
                vm.withReadOnly(true);
            }
            for (String o : m.options()) {
                if (o.startsWith("subpath=")) {
                    vm.withSubPath(o.substring("subpath=".length()));
                }
            }
            mounts.add(vm.build());
        }
        if (!mounts.isEmpty()) {
            b.withVolumeMounts(mounts);
        }
        if (!spec.secrets().isEmpty()) {
            warnings.add("container " + c.name() + ": kpod secrets are not carried into the YAML");
        }
        return b.build();
    }

    private static String volumeName(io.kpod.spec.VolumeMount m, int index) {
        String base = switch (m.type()) {
            case VOLUME -> m.source();
            case BIND -> Path.of(m.source()).getFileName() == null ? "root" : Path.of(m.source()).getFileName().toString();
            case TMPFS -> "tmpfs";
            case IMAGE -> imageBaseName(m.source());
        };
        String n = kubeName(base + "-" + switch (m.type()) {
            case VOLUME -> "pvc";
            case IMAGE -> "image";
            default -> "host";
        });
        return n.length() > 55 ? n.substring(0, 55) + "-" + index : n + (index > 0 ? "-" + index : "");
    }

    private static Volume volume(io.kpod.spec.VolumeMount m, String name, Set<String> claimed) {
        VolumeBuilder v = new VolumeBuilder().withName(name);
        switch (m.type()) {
            case VOLUME -> {
                claimed.add(m.source());
                v.withNewPersistentVolumeClaim().withClaimName(m.source()).endPersistentVolumeClaim();
            }
            case BIND -> {
                Path p = Path.of(m.source());
                String type = Files.isDirectory(p) ? "Directory" : Files.isRegularFile(p) ? "File" : "";
                v.withNewHostPath().withPath(m.source()).withType(type).endHostPath();
            }
            case TMPFS -> v.withNewEmptyDir().withMedium("Memory").endEmptyDir();
            // the reference as the user gave it (the spec's, not the pinned id); the pull policy is Kubernetes' default
            case IMAGE -> v.withNewImage().withReference(m.source()).endImage();
            default -> throw new IllegalStateException();
        }
        return v.build();
    }

    /** "registry/path/name:tag" → "name", for a volume's name. */
    private static String imageBaseName(String reference) {
        String r = reference.contains("@") ? reference.substring(0, reference.indexOf('@')) : reference;
        r = r.substring(r.lastIndexOf('/') + 1);
        int colon = r.indexOf(':');
        return colon < 0 ? r : r.substring(0, colon);
    }

    private static SecurityContext security(ContainerSpec spec, String resolvedUser) {
        SecurityContextBuilder b = new SecurityContextBuilder();
        boolean any = false;
        String user = spec.process().user();
        if (user != null && !user.isEmpty()) {
            String[] ug = user.split(":", 2);
            if (ug[0].matches("[0-9]+")) {
                b.withRunAsUser(Long.parseLong(ug[0]));
                any = true;
            }
            if (ug.length > 1 && ug[1].matches("[0-9]+")) {
                b.withRunAsGroup(Long.parseLong(ug[1]));
                any = true;
            }
        }
        var sec = spec.security();
        List<String> add = sec.capAdd().stream().map(KubeGenerator::capName).filter(c -> !DEFAULT_CAPS.contains(c))
                .distinct().toList();
        List<String> drop = sec.capDrop().stream().map(KubeGenerator::capName).distinct().toList();
        if (!add.isEmpty() || !drop.isEmpty()) {
            b.withNewCapabilities().withAdd(add.isEmpty() ? null : add).withDrop(drop.isEmpty() ? null : drop)
                    .endCapabilities();
            any = true;
        }
        if (sec.privileged()) {
            b.withPrivileged(true);
            any = true;
        }
        if (sec.readOnlyRootfs()) {
            b.withReadOnlyRootFilesystem(true);
            any = true;
        }
        if (sec.noNewPrivileges()) {
            b.withAllowPrivilegeEscalation(false);
            any = true;
        }
        if ("unconfined".equals(sec.seccompProfile())) {
            b.withNewSeccompProfile().withType("Unconfined").endSeccompProfile();
            any = true;
        }
        return any ? b.build() : null;
    }

    private static String capName(String c) {
        String u = c.toUpperCase(Locale.ROOT);
        return u.startsWith("CAP_") ? u.substring(4) : u;
    }

    private static io.fabric8.kubernetes.api.model.LifecycleHandler handler(String json) {
        if (json == null) {
            return null;
        }
        List<String> argv;
        try {
            argv = List.of(io.kpod.engine.Json.MAPPER.readValue(json, String[].class));
        } catch (java.io.IOException e) {
            return null;
        }
        var h = new io.fabric8.kubernetes.api.model.LifecycleHandlerBuilder();
        if (!argv.isEmpty() && argv.get(0).equals("KPOD-HTTP-GET")) {
            java.net.URI u = java.net.URI.create(argv.get(1));
            h.withNewHttpGet().withPath(u.getRawPath()).withPort(new IntOrString(u.getPort() > 0 ? u.getPort() : 80))
                    .endHttpGet();
        } else if (!argv.isEmpty() && argv.get(0).equals("KPOD-TCP")) {
            h.withNewTcpSocket().withPort(new IntOrString(Integer.parseInt(argv.get(2)))).endTcpSocket();
        } else {
            h.withNewExec().withCommand(argv).endExec();
        }
        return h.build();
    }

    private static Probe probe(HealthCheck hc) {
        ProbeBuilder b = new ProbeBuilder();
        List<String> t = hc.test();
        if (!t.isEmpty() && t.get(0).equals("KPOD-HTTP-GET")) {
            java.net.URI u = java.net.URI.create(t.get(1));
            b.withNewHttpGet().withPath(u.getRawPath().isEmpty() ? "/" : u.getRawPath())
                    .withPort(new IntOrString(u.getPort() > 0 ? u.getPort() : 80))
                    .withHost(u.getHost().equals("localhost") ? null : u.getHost()).endHttpGet();
        } else if (!t.isEmpty() && t.get(0).equals("KPOD-TCP")) {
            b.withNewTcpSocket().withPort(new IntOrString(Integer.parseInt(t.get(2))))
                    .withHost(t.get(1).equals("localhost") ? null : t.get(1)).endTcpSocket();
        } else {
            b.withNewExec().withCommand(hc.argv()).endExec();
        }
        if (hc.interval() != null && !hc.interval().isZero()) {
            b.withPeriodSeconds((int) Math.max(1, hc.interval().toSeconds()));
        }
        if (hc.timeout() != null) {
            b.withTimeoutSeconds((int) Math.max(1, hc.timeout().toSeconds()));
        }
        if (hc.retries() > 0) {
            b.withFailureThreshold(hc.retries());
        }
        if (hc.startPeriod() != null && !hc.startPeriod().isZero()) {
            b.withInitialDelaySeconds((int) hc.startPeriod().toSeconds());
        }
        return b.build();
    }

    /** {@code [hostIP:][hostPort:]containerPort[/proto]} specs as containerPorts with hostPorts. */
    static List<ContainerPort> ports(List<String> publish) {
        List<ContainerPort> out = new ArrayList<>();
        for (String p : publish) {
            String[] pp = p.split("/", 2);
            String proto = pp.length > 1 ? pp[1].toUpperCase(Locale.ROOT) : "TCP";
            String[] parts = pp[0].split(":");
            String container = parts[parts.length - 1];
            String host = parts.length >= 2 ? parts[parts.length - 2] : null;
            String ip = parts.length == 3 ? parts[0] : null;
            if (container.contains("-")) {
                continue; // ranges have no Kubernetes form
            }
            ContainerPortBuilder b = new ContainerPortBuilder().withContainerPort(Integer.parseInt(container))
                    .withProtocol(proto);
            if (host != null && !host.isEmpty() && !host.contains("-")) {
                b.withHostPort(Integer.parseInt(host));
            }
            if (ip != null && !ip.isEmpty()) {
                b.withHostIP(ip);
            }
            out.add(b.build());
        }
        return out;
    }

    private static HasMetadata service(String name, Map<String, String> labels, List<String> publish) {
        List<ServicePort> ports = new ArrayList<>();
        for (ContainerPort cp : ports(publish)) {
            ServicePortBuilder b = new ServicePortBuilder()
                    .withName(cp.getProtocol().toLowerCase(Locale.ROOT) + "-" + cp.getContainerPort())
                    .withPort(cp.getContainerPort()).withTargetPort(new IntOrString(cp.getContainerPort()))
                    .withProtocol(cp.getProtocol());
            if (cp.getHostPort() != null && cp.getHostPort() >= 30000 && cp.getHostPort() <= 32767) {
                b.withNodePort(cp.getHostPort());
            }
            ports.add(b.build());
        }
        return new ServiceBuilder().withNewMetadata().withName(name).endMetadata().withNewSpec()
                .withType("NodePort").withSelector(Map.of("app", labels.get("app"))).withPorts(ports).endSpec()
                .build();
    }

    private static boolean isInit(ContainerSpec s) {
        return s.annotations().containsKey("io.podman.annotations.init.container.type");
    }

    private static boolean reserved(String key) {
        return RESERVED_PREFIXES.stream().anyMatch(key::startsWith);
    }

    private static final java.util.regex.Pattern QUALIFIED_NAME =
            java.util.regex.Pattern.compile("[A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?");
    private static final java.util.regex.Pattern DNS_SUBDOMAIN =
            java.util.regex.Pattern.compile("[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*");

    /**
     * Labels and annotations are written as they are, never shortened; what a cluster would refuse
     * (Kubernetes' key syntax, label values of more than 63 characters, annotations over 256 KiB
     * in total) is reported, one line each.
     */
    static void checkMetadata(String pod, Map<String, String> labels, Map<String, String> annotations,
                              List<String> warnings) {
        String refused = ": a cluster will refuse the object";
        labels.forEach((k, v) -> {
            if (reserved(k)) {
                return; // kpod's own (--podman-only), not meant for a cluster
            }
            if (!validKey(k)) {
                warnings.add("pod " + pod + ": label key \"" + k + "\" is not a valid Kubernetes key" + refused);
            }
            if (!v.isEmpty() && !QUALIFIED_NAME.matcher(v).matches()) {
                warnings.add("pod " + pod + ": label " + k + " has a value Kubernetes refuses (" + v.length()
                        + " characters; at most 63 letters, digits, '-', '_' or '.', alphanumeric at both ends)"
                        + refused);
            }
        });
        long size = 0;
        for (var e : annotations.entrySet()) {
            if (!reserved(e.getKey()) && !validKey(e.getKey())) {
                warnings.add("pod " + pod + ": annotation key \"" + e.getKey() + "\" is not a valid Kubernetes key"
                        + refused);
            }
            size += e.getKey().length() + e.getValue().length();
        }
        if (size > ANNOTATIONS_LIMIT) {
            warnings.add("pod " + pod + ": its annotations total " + size
                    + " bytes, over Kubernetes' limit of 262144" + refused);
        }
    }

    /** Kubernetes' qualified name: an optional DNS subdomain prefix of at most 253 characters, '/', a name. */
    private static boolean validKey(String key) {
        int slash = key.lastIndexOf('/');
        String name = slash < 0 ? key : key.substring(slash + 1);
        if (slash >= 0) {
            String prefix = key.substring(0, slash);
            if (prefix.isEmpty() || prefix.length() > 253 || !DNS_SUBDOMAIN.matcher(prefix).matches()) {
                return false;
            }
        }
        return QUALIFIED_NAME.matcher(name).matches();
    }

    /** A DNS-1123 label from a kpod name: lowercase, '_' and '.' become '-', at most 63 characters. */
    static String kubeName(String name) {
        String n = name.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9-]", "-").replaceAll("^-+|-+$", "");
        if (n.length() > 63) {
            n = n.substring(0, 63).replaceAll("-+$", "");
        }
        return n.isEmpty() ? "pod" : n;
    }
}
