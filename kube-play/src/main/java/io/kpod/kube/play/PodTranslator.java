package io.kpod.kube.play;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.fabric8.kubernetes.api.model.Capabilities;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.EnvFromSource;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.EnvVarSource;
import io.fabric8.kubernetes.api.model.ExecAction;
import io.fabric8.kubernetes.api.model.HostAlias;
import io.fabric8.kubernetes.api.model.KeyToPath;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.PodDNSConfig;
import io.fabric8.kubernetes.api.model.PodDNSConfigOption;
import io.fabric8.kubernetes.api.model.PodSecurityContext;
import io.fabric8.kubernetes.api.model.Probe;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.ResourceRequirements;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecurityContext;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServicePort;
import io.fabric8.kubernetes.api.model.Sysctl;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.kpod.engine.image.PullPolicy;
import io.kpod.kube.play.DesiredVolume.FileContent;
import io.kpod.kube.play.Manifest.Workload;
import io.kpod.kube.yaml.InvalidManifestException;
import io.kpod.kube.yaml.ParsedDocument;
import io.kpod.spec.ContainerSpec;
import io.kpod.spec.ErrorKind;
import io.kpod.spec.HealthCheck;
import io.kpod.spec.KpodException;
import io.kpod.spec.Names;
import io.kpod.spec.NetworkSpec;
import io.kpod.spec.PodSpec;
import io.kpod.spec.ProcessSpec;
import io.kpod.spec.ResourceSpec;
import io.kpod.spec.RestartPolicy;
import io.kpod.spec.SecuritySpec;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;

/**
 * Turns one replica of a workload's pod template into a {@link DesiredPod}: the kpod pod,
 * its containers and the volumes they need, with Kubernetes' semantics where they differ
 * from Podman's (env expansion and precedence, emptyDir per pod, init containers per start).
 * Pure: it reads the manifest and the options, never the engine.
 */
public final class PodTranslator {
    private static final ObjectMapper HASH_JSON = new ObjectMapper()
            .configure(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS, true)
            .registerModule(new com.fasterxml.jackson.datatype.jsr310.JavaTimeModule());
    private static final String DEFAULT_NAMESPACE = "default";
    /** Stands for status.podIP until the engine fills it in at start (annotation io.kpod.env.pod-ip). */
    private static final String POD_IP_PLACEHOLDER = "\u0000kpod-pod-ip\u0000";

    private final Manifest manifest;
    private final PlayOptions options;
    private final String manifestKey;
    private final List<String> networks;
    private final Warnings warnings;

    /**
     * @param networks the networks every pod joins (empty for host/none pods is decided per pod)
     */
    public PodTranslator(Manifest manifest, PlayOptions options, String manifestKey, List<String> networks,
                         Warnings warnings) {
        this.manifest = manifest;
        this.options = options;
        this.manifestKey = manifestKey;
        this.networks = List.copyOf(networks);
        this.warnings = warnings;
    }

    /** Podman's pod names: the Pod's own, {@code <deployment>-pod-<i>}, {@code <name>-pod} for DaemonSets and Jobs. */
    public static String podName(Workload w, int replica) {
        return switch (w.kind()) {
            case "Pod" -> w.name();
            case "Deployment" -> w.name() + "-pod-" + replica;
            default -> w.name() + "-pod";
        };
    }

    public DesiredPod translate(Workload w, int replica, Map<String, String> extraPublish) {
        String base = w.kind().equals("Pod") ? "spec" : "spec.template.spec";
        try {
            return translate(w, base, replica, extraPublish);
        } catch (InvalidManifestException e) {
            throw e;
        } catch (KpodException e) {
            // a value the spec records refuse (they validate themselves) is still the manifest's fault
            if (e.kind() == ErrorKind.INVALID) {
                throw Manifest.error(w.origin(), base, e.getMessage());
            }
            throw e;
        }
    }

    private DesiredPod translate(Workload w, String base, int replica, Map<String, String> extraPublish) {
        ParsedDocument doc = w.origin();
        io.fabric8.kubernetes.api.model.PodSpec ks = w.template().getSpec();
        ObjectMeta meta = w.template().getMetadata() == null ? new ObjectMeta() : w.template().getMetadata();
        String podName = podName(w, replica);
        String namespace = w.origin().resource().getMetadata().getNamespace() == null ? DEFAULT_NAMESPACE
                : w.origin().resource().getMetadata().getNamespace();
        Map<String, String> podLabels = new LinkedHashMap<>(nz(meta.getLabels()));
        Map<String, String> podAnnotations = new LinkedHashMap<>(nz(meta.getAnnotations()));
        ignored(doc, base, ks);
        // the pod's user namespace: its annotation, else kube play --userns (Podman's order)
        String usernsMode = podAnnotations.getOrDefault(PODMAN_ANNOTATIONS + "userns", options.userns());
        io.kpod.spec.IdMappings userns;
        try {
            userns = io.kpod.engine.container.UserNamespaces.parseMode(usernsMode);
        } catch (io.kpod.spec.KpodException e) {
            String metaPath = base.endsWith("spec") ? base.substring(0, base.length() - 4) + "metadata" : "metadata";
            throw Manifest.error(doc, metaPath + ".annotations[" + PODMAN_ANNOTATIONS + "userns]", e.getMessage());
        }
        if (podAnnotations.containsKey(io.kpod.spec.VolumesFrom.ANNOTATION)) {
            String metaPath = base.endsWith("spec") ? base.substring(0, base.length() - 4) + "metadata" : "metadata";
            throw Manifest.error(doc, metaPath + ".annotations[" + io.kpod.spec.VolumesFrom.ANNOTATION + "]",
                    "the annotation without a target container is reserved for internal use; use "
                    + io.kpod.spec.VolumesFrom.ANNOTATION + "/<container>");
        }
        checkPodValues(doc, base, ks);
        Integer completions = w.job() ? completions(w) : null;

        // ---- volumes ----
        Map<String, Volume> volumesByName = new LinkedHashMap<>();
        List<Volume> kubeVolumes = nzl(ks.getVolumes());
        for (int i = 0; i < kubeVolumes.size(); i++) {
            Volume v = kubeVolumes.get(i);
            String path = base + ".volumes[" + i + "]";
            if (v.getName() == null || v.getName().isEmpty()) {
                throw Manifest.error(doc, path + ".name", "a volume needs a name");
            }
            Manifest.checkName(doc, path + ".name", v.getName(), true);
            if (volumesByName.put(v.getName(), v) != null) {
                throw Manifest.error(doc, path + ".name", "volume \"" + v.getName() + "\" is defined twice");
            }
        }
        Map<String, DesiredVolume> volumes = new LinkedHashMap<>();
        Map<String, MountSource> mountSources = new LinkedHashMap<>();
        Long fsGroup = ks.getSecurityContext() == null ? null : ks.getSecurityContext().getFsGroup();
        int vi = 0;
        for (Volume v : kubeVolumes) {
            mountSources.put(v.getName(), volume(doc, base + ".volumes[" + vi++ + "]", podName, v, volumes, fsGroup));
        }

        // ---- containers ----
        List<Container> inits = nzl(ks.getInitContainers());
        List<Container> apps = nzl(ks.getContainers());
        if (apps.isEmpty()) {
            throw Manifest.error(doc, base + ".containers", "a pod needs at least one container");
        }
        Set<String> names = new HashSet<>();
        String restart = ks.getRestartPolicy() == null ? (w.job() ? "Never" : "Always") : ks.getRestartPolicy();
        if (!Set.of("Always", "OnFailure", "Never").contains(restart)) {
            throw Manifest.error(doc, base + ".restartPolicy", "invalid restartPolicy \"" + restart
                    + "\": expected Always, OnFailure or Never");
        }
        if (w.job() && restart.equals("Always")) {
            throw Manifest.error(doc, base + ".restartPolicy", "a Job's pods need restartPolicy OnFailure or Never");
        }
        RestartPolicy appRestart = switch (restart) {
            case "Always" -> new RestartPolicy(RestartPolicy.Mode.ALWAYS, 0);
            case "OnFailure" -> new RestartPolicy(RestartPolicy.Mode.ON_FAILURE,
                    w.job() ? (w.backoffLimit() == null ? 6 : w.backoffLimit()) : 0);
            default -> RestartPolicy.NO;
        };
        PodContext pc = new PodContext(podName, namespace, podLabels, podAnnotations, ks.getSecurityContext(),
                ks.getTerminationGracePeriodSeconds(), mountSources, doc, uid(podName), base);
        List<DesiredContainer> containers = new ArrayList<>();
        List<String> publish = new ArrayList<>();
        Map<String, Integer> namedPorts = new LinkedHashMap<>();
        for (int i = 0; i < inits.size(); i++) {
            Container c = inits.get(i);
            containers.add(container(pc, base + ".initContainers[" + i + "]", c, true, RestartPolicy.NO, names,
                    publish, namedPorts));
        }
        for (int i = 0; i < apps.size(); i++) {
            Container c = apps.get(i);
            containers.add(container(pc, base + ".containers[" + i + "]", c, false, appRestart, names, publish,
                    namedPorts));
        }

        // ---- services: names in DNS, host ports for NodePort/LoadBalancer ----
        Set<String> aliases = new LinkedHashSet<>();
        Set<String> redirects = new LinkedHashSet<>();
        aliases.add(podName);
        String hostname = ks.getHostname() != null && !ks.getHostname().isEmpty() ? ks.getHostname() : podName;
        if (ks.getHostname() != null) {
            Manifest.checkName(doc, base + ".hostname", ks.getHostname(), true);
        }
        aliases.add(hostname);
        // a Service's names resolve to the pods it selects; with readiness probes, only while the
        // pod is ready (the engine adds and removes them as the probes pass and fail)
        Set<String> serviceNames = new LinkedHashSet<>();
        for (Service s : manifest.services()) {
            Map<String, String> selector = s.getSpec() == null ? null : s.getSpec().getSelector();
            if (selector == null || selector.isEmpty() || !podLabels.entrySet().containsAll(selector.entrySet())) {
                continue;
            }
            String svc = s.getMetadata().getName();
            String ns = s.getMetadata().getNamespace() == null ? DEFAULT_NAMESPACE : s.getMetadata().getNamespace();
            serviceNames.add(svc);
            serviceNames.add(svc + "." + ns);
            serviceNames.add(svc + "." + ns + ".svc");
            serviceNames.add(svc + "." + ns + ".svc.cluster.local");
            for (ServicePort sp : nzl(s.getSpec().getPorts())) {
                int target = targetPort(sp, namedPorts);
                if (sp.getPort() != null && sp.getPort() != target) {
                    String proto = sp.getProtocol() == null ? "tcp" : sp.getProtocol().toLowerCase();
                    redirects.add(sp.getPort() + ":" + target + "/" + proto);
                }
            }
            String type = s.getSpec().getType() == null ? "ClusterIP" : s.getSpec().getType();
            if (replica == 0 && (type.equals("NodePort") || type.equals("LoadBalancer"))) {
                for (ServicePort sp : nzl(s.getSpec().getPorts())) {
                    int target = targetPort(sp, namedPorts);
                    int hostPort = sp.getNodePort() != null ? sp.getNodePort() : sp.getPort();
                    String proto = sp.getProtocol() == null ? "tcp" : sp.getProtocol().toLowerCase();
                    publish.add(hostPort + ":" + target + "/" + proto);
                }
            }
        }
        extraPublish.forEach((containerPort, spec) -> {
            if (namedPorts.containsValue(Integer.parseInt(containerPort)) && replica == 0) {
                publish.add(spec);
            }
        });
        for (DesiredContainer c : containers) {
            aliases.add(c.spec().name());
        }
        boolean gated = apps.stream().anyMatch(c -> c.getReadinessProbe() != null);
        if (!gated) {
            aliases.addAll(serviceNames);
        }

        // ---- the pod ----
        boolean hostNetwork = Boolean.TRUE.equals(ks.getHostNetwork()) || options.networks().contains("host");
        boolean none = options.networks().contains("none");
        String networkMode = hostNetwork ? "host" : none ? "none" : "bridge";
        if (Boolean.TRUE.equals(ks.getHostIPC())) {
            warnings.unhonoured(doc, base + ".hostIPC", "pods always get their own IPC namespace");
        }
        if (Boolean.TRUE.equals(ks.getHostPID())) {
            warnings.unhonoured(doc, base + ".hostPID", "pods always get their own PID namespace");
        }
        List<String> addHosts = new ArrayList<>();
        List<HostAlias> hostAliases = nzl(ks.getHostAliases());
        for (HostAlias ha : hostAliases) {
            for (String h : nzl(ha.getHostnames())) {
                addHosts.add(h + ":" + ha.getIp());
            }
        }
        List<String> dnsServers = new ArrayList<>();
        List<String> dnsSearches = new ArrayList<>();
        List<String> dnsOptions = new ArrayList<>();
        PodDNSConfig dns = ks.getDnsConfig();
        if (dns != null) {
            dnsServers.addAll(nzl(dns.getNameservers()));
            dnsSearches.addAll(nzl(dns.getSearches()));
            for (PodDNSConfigOption o : nzl(dns.getOptions())) {
                dnsOptions.add(o.getValue() == null ? o.getName() : o.getName() + ":" + o.getValue());
            }
        }
        if ("None".equals(ks.getDnsPolicy()) && dnsServers.isEmpty()) {
            throw Manifest.error(doc, base + ".dnsConfig", "dnsPolicy None needs dnsConfig.nameservers");
        }
        String infraName = podAnnotations.getOrDefault("io.podman.annotations.infra.name", podName + "-infra");
        Map<String, String> labels = new LinkedHashMap<>(podLabels);
        labels.put(KubeLabels.MANIFEST, manifestKey);
        labels.put(KubeLabels.WORKLOAD, w.key());
        labels.put(KubeLabels.REPLICA, Integer.toString(replica));
        if (!redirects.isEmpty() && networkMode.equals("bridge")) {
            labels.put(io.kpod.engine.pod.PodSandbox.PORT_REDIRECTS, String.join(",", redirects));
        }
        if (gated && !serviceNames.isEmpty() && networkMode.equals("bridge")) {
            labels.put(io.kpod.engine.pod.PodService.READY_NAMES, String.join(",", serviceNames));
        }
        NetworkSpec net = new NetworkSpec(networkMode.equals("bridge") ? networks : List.of(),
                networkMode.equals("bridge") ? List.copyOf(aliases) : List.of(),
                networkMode.equals("bridge") ? publish : List.of(), false, null, null);
        if (!networkMode.equals("bridge") && !publish.isEmpty() && !hostNetwork) {
            warnings.note("pod " + podName + ": ports are not published without a bridge network");
        }
        PodSpec pod = new PodSpec(podName, hostNetwork ? null : hostname,
                Boolean.TRUE.equals(ks.getShareProcessNamespace()) ? "+pid" : null, networkMode, labels, addHosts,
                dnsServers, dnsSearches, dnsOptions, infraName, options.noHosts(), net);
        List<DesiredVolume> vols = List.copyOf(volumes.values());
        pod = pod.withCompletions(completions).withUserns(userns);
        String hash = hash(pod, containers, vols);
        labels.put(KubeLabels.HASH, hash);
        pod = new PodSpec(pod.name(), pod.hostname(), pod.share(), pod.networkMode(), labels, pod.addHosts(),
                pod.dnsServers(), pod.dnsSearches(), pod.dnsOptions(), pod.infraName(), pod.noHosts(), pod.network())
                .withCompletions(completions).withUserns(userns);
        return new DesiredPod(podName, w.key(), replica, w.job(), pod, containers, vols, hash);
    }

    /**
     * A Job's pod must succeed {@code completions} times (1 when absent), one run after another
     * as Kubernetes runs a Job with parallelism 1; other parallelism runs the same way.
     */
    private Integer completions(Workload w) {
        ParsedDocument doc = w.origin();
        if (w.completions() != null && w.completions() < 0) {
            throw Manifest.error(doc, "spec.completions", "completions must not be negative");
        }
        if (w.completions() != null && w.completions() == 0) {
            warnings.unhonoured(doc, "spec.completions", "a Job with completions 0 runs its pod once");
        }
        if (w.parallelism() != null && w.parallelism() != 1) {
            warnings.unhonoured(doc, "spec.parallelism", "a Job's pod runs one completion at a time (parallelism 1)");
        }
        return w.completions() == null || w.completions() == 0 ? 1 : w.completions();
    }

    /** Values Kubernetes' validation refuses that kpod would otherwise carry into the engine's specs. */
    private static void checkPodValues(ParsedDocument doc, String base, io.fabric8.kubernetes.api.model.PodSpec ks) {
        if (ks.getTerminationGracePeriodSeconds() != null && ks.getTerminationGracePeriodSeconds() < 0) {
            throw Manifest.error(doc, base + ".terminationGracePeriodSeconds", "must not be negative");
        }
        List<Sysctl> sysctls = ks.getSecurityContext() == null ? List.of() : nzl(ks.getSecurityContext().getSysctls());
        for (int i = 0; i < sysctls.size(); i++) {
            if (sysctls.get(i).getName() == null || sysctls.get(i).getName().isEmpty()) {
                throw Manifest.error(doc, base + ".securityContext.sysctls[" + i + "].name", "a sysctl needs a name");
            }
        }
    }

    private record PodContext(String podName, String namespace, Map<String, String> labels,
                              Map<String, String> annotations, PodSecurityContext security, Long grace,
                              Map<String, MountSource> mounts, ParsedDocument doc, String uid, String base) {
    }

    /** Where a pod volume comes from, for the containers' volumeMounts. */
    private record MountSource(io.kpod.spec.VolumeMount.Type type, String source, boolean forceReadOnly) {
    }

    private MountSource volume(ParsedDocument doc, String path, String podName, Volume v,
                               Map<String, DesiredVolume> out, Long fsGroup) {
        String own = podName + "-" + v.getName();
        Map<String, String> ownerLabels = new LinkedHashMap<>(
                Map.of(KubeLabels.MANIFEST, manifestKey, KubeLabels.OWNER_POD, podName));
        if (fsGroup != null) {
            ownerLabels.put(KubeLabels.FS_GROUP, Long.toString(fsGroup));
        }
        if (v.getHostPath() != null) {
            String p = v.getHostPath().getPath();
            String type = v.getHostPath().getType() == null ? "" : v.getHostPath().getType();
            if (p == null || p.isEmpty()) {
                throw Manifest.error(doc, path + ".hostPath.path", "a hostPath needs a path");
            }
            if (!p.contains("/")) {
                // Podman's extension: a hostPath without a slash names a volume
                if (!Names.valid(p)) {
                    throw Manifest.error(doc, path + ".hostPath.path", "\"" + p + "\" is neither an absolute path nor"
                            + " a volume name (names match [a-zA-Z0-9][a-zA-Z0-9_.-]*)");
                }
                out.putIfAbsent(p, new DesiredVolume(p, DesiredVolume.Kind.NAMED, null, Map.of(), null));
                return new MountSource(io.kpod.spec.VolumeMount.Type.VOLUME, p, false);
            }
            if (!p.startsWith("/")) {
                throw Manifest.error(doc, path + ".hostPath.path", "hostPath \"" + p + "\" must be absolute");
            }
            if (!Set.of("", "Directory", "DirectoryOrCreate", "File", "FileOrCreate", "Socket", "CharDevice",
                    "BlockDevice").contains(type)) {
                throw Manifest.error(doc, path + ".hostPath.type", "invalid hostPath type \"" + type + "\"");
            }
            out.put("hostPath:" + p, new DesiredVolume(p, DesiredVolume.Kind.HOST_PATH, null, Map.of(),
                    Map.of("type", type, "field", path + ".hostPath")));
            return new MountSource(io.kpod.spec.VolumeMount.Type.BIND, Path.of(p).normalize().toString(), false);
        }
        if (v.getEmptyDir() != null) {
            Map<String, String> opts = new LinkedHashMap<>();
            if ("Memory".equals(v.getEmptyDir().getMedium())) {
                opts.put("type", "tmpfs");
                opts.put("device", "tmpfs");
                Quantity size = v.getEmptyDir().getSizeLimit();
                List<String> o = new ArrayList<>();
                if (size != null) {
                    o.add("size=" + bytes(doc, path + ".emptyDir.sizeLimit", size));
                }
                if (fsGroup != null) {
                    o.add("gid=" + fsGroup);
                    o.add("mode=2777");
                }
                if (!o.isEmpty()) {
                    opts.put("o", String.join(",", o));
                }
            } else if (v.getEmptyDir().getSizeLimit() != null) {
                warnings.unhonoured(doc, path + ".emptyDir.sizeLimit", "only enforced for medium: Memory");
            }
            out.put(own, new DesiredVolume(own, DesiredVolume.Kind.EMPTY_DIR, null, ownerLabels, opts));
            return new MountSource(io.kpod.spec.VolumeMount.Type.VOLUME, own, false);
        }
        if (v.getConfigMap() != null) {
            var src = v.getConfigMap();
            ConfigMap cm = manifest.configMaps().get(src.getName());
            if (cm == null) {
                if (Boolean.TRUE.equals(src.getOptional())) {
                    out.put(own, new DesiredVolume(own, DesiredVolume.Kind.FILES, Map.of(), ownerLabels, null));
                    return new MountSource(io.kpod.spec.VolumeMount.Type.VOLUME, own, true);
                }
                throw Manifest.error(doc, path + ".configMap.name", "ConfigMap \"" + src.getName()
                        + "\" is not defined in the manifest or by --configmap");
            }
            Map<String, byte[]> data = new LinkedHashMap<>();
            nz(cm.getData()).forEach((k, val) -> data.put(k, val.getBytes(StandardCharsets.UTF_8)));
            nz(cm.getBinaryData()).forEach((k, val) -> data.put(k, Base64.getMimeDecoder().decode(val)));
            out.put(own, new DesiredVolume(own, DesiredVolume.Kind.FILES,
                    files(doc, path + ".configMap", data, src.getItems(), src.getDefaultMode(),
                            src.getOptional(), "ConfigMap " + src.getName()), ownerLabels, null));
            return new MountSource(io.kpod.spec.VolumeMount.Type.VOLUME, own, true);
        }
        if (v.getSecret() != null) {
            var src = v.getSecret();
            Secret s = manifest.secrets().get(src.getSecretName());
            if (s == null) {
                if (Boolean.TRUE.equals(src.getOptional())) {
                    out.put(own, new DesiredVolume(own, DesiredVolume.Kind.FILES, Map.of(), ownerLabels, null));
                    return new MountSource(io.kpod.spec.VolumeMount.Type.VOLUME, own, true);
                }
                throw Manifest.error(doc, path + ".secret.secretName", "Secret \"" + src.getSecretName()
                        + "\" is not defined in the manifest");
            }
            out.put(own, new DesiredVolume(own, DesiredVolume.Kind.FILES,
                    files(doc, path + ".secret", secretData(s), src.getItems(), src.getDefaultMode(),
                            src.getOptional(), "Secret " + src.getSecretName()), ownerLabels, null));
            return new MountSource(io.kpod.spec.VolumeMount.Type.VOLUME, own, true);
        }
        if (v.getPersistentVolumeClaim() != null) {
            String claim = v.getPersistentVolumeClaim().getClaimName();
            if (claim == null || claim.isEmpty()) {
                throw Manifest.error(doc, path + ".persistentVolumeClaim.claimName", "a claimName is required");
            }
            Manifest.checkName(doc, path + ".persistentVolumeClaim.claimName", claim, false);
            Map<String, String> claimLabels = new LinkedHashMap<>(Map.of(KubeLabels.CLAIM, claim));
            if (fsGroup != null) {
                claimLabels.put(KubeLabels.FS_GROUP, Long.toString(fsGroup));
            }
            out.putIfAbsent(claim, new DesiredVolume(claim, DesiredVolume.Kind.CLAIM, null, claimLabels,
                    Map.of("field", path + ".persistentVolumeClaim.claimName")));
            return new MountSource(io.kpod.spec.VolumeMount.Type.VOLUME, claim,
                    Boolean.TRUE.equals(v.getPersistentVolumeClaim().getReadOnly()));
        }
        if (v.getImage() != null) {
            return imageVolume(doc, path, v, out);
        }
        throw Manifest.error(doc, path, "volume \"" + v.getName() + "\" has a source kpod does not support "
                + "(supported: hostPath, emptyDir, configMap, secret, persistentVolumeClaim, image)");
    }

    /**
     * Kubernetes' image volume: the image's root filesystem, always read-only; the image is
     * pulled (or found) with the containers' images, under its own pullPolicy.
     */
    private static MountSource imageVolume(ParsedDocument doc, String path, Volume v, Map<String, DesiredVolume> out) {
        String ref = v.getImage().getReference();
        if (ref == null || ref.isBlank()) {
            throw Manifest.error(doc, path + ".image.reference", "an image volume needs a reference");
        }
        PullPolicy pull;
        try {
            pull = PullPolicy.forKubernetes(v.getImage().getPullPolicy(), ref);
        } catch (KpodException e) {
            throw Manifest.error(doc, path + ".image.pullPolicy", e.getMessage().replace("imagePullPolicy", "pullPolicy"));
        }
        out.merge("image:" + ref, new DesiredVolume(ref, DesiredVolume.Kind.IMAGE, null, Map.of(),
                        Map.of(DesiredVolume.PULL_POLICY, pull.name())),
                (a, b) -> a.options().get(DesiredVolume.PULL_POLICY).equals(PullPolicy.ALWAYS.name()) ? a : b);
        return new MountSource(io.kpod.spec.VolumeMount.Type.IMAGE, ref, true);
    }

    /** Secret values: {@code data} is base64, {@code stringData} plain and wins, as the API server merges them. */
    static Map<String, byte[]> secretData(Secret s) {
        Map<String, byte[]> data = new LinkedHashMap<>();
        nz(s.getData()).forEach((k, val) -> data.put(k, Base64.getMimeDecoder().decode(val)));
        nz(s.getStringData()).forEach((k, val) -> data.put(k, val.getBytes(StandardCharsets.UTF_8)));
        return data;
    }

    private Map<String, FileContent> files(ParsedDocument doc, String path, Map<String, byte[]> data,
                                           List<KeyToPath> items, Integer defaultMode, Boolean optional,
                                           String what) {
        int mode = defaultMode == null ? 0644 : defaultMode;
        checkMode(doc, path + ".defaultMode", mode);
        Map<String, FileContent> files = new TreeMap<>();
        if (items == null || items.isEmpty()) {
            data.forEach((k, val) -> files.put(relative(doc, path, k), new FileContent(val, mode)));
            return files;
        }
        for (int i = 0; i < items.size(); i++) {
            KeyToPath item = items.get(i);
            byte[] val = data.get(item.getKey());
            if (val == null) {
                if (Boolean.TRUE.equals(optional)) {
                    continue;
                }
                throw Manifest.error(doc, path + ".items[" + i + "].key", what + " has no key \"" + item.getKey()
                        + "\"");
            }
            int m = item.getMode() == null ? mode : item.getMode();
            checkMode(doc, path + ".items[" + i + "].mode", m);
            files.put(relative(doc, path + ".items[" + i + "].path", item.getPath()), new FileContent(val, m));
        }
        return files;
    }

    private static void checkMode(ParsedDocument doc, String path, int mode) {
        if (mode < 0 || mode > 0777) {
            throw Manifest.error(doc, path, "invalid mode " + mode + ": must be between 0 and 0777 (octal)");
        }
    }

    /** A file path inside a volume: relative, no {@code ..} element. */
    static String relative(ParsedDocument doc, String path, String p) {
        if (p == null || p.isEmpty() || p.startsWith("/")) {
            throw Manifest.error(doc, path, "path \"" + p + "\" must be a relative path inside the volume");
        }
        if (p.indexOf('\0') >= 0) {
            throw Manifest.error(doc, path, "path must not contain a NUL character");
        }
        for (String part : p.split("/")) {
            if (part.equals("..")) {
                throw Manifest.error(doc, path, "path \"" + p + "\" must not contain '..'");
            }
        }
        return Path.of(p).normalize().toString();
    }

    private DesiredContainer container(PodContext pc, String path, Container c, boolean init, RestartPolicy restart,
                                       Set<String> names, List<String> publish, Map<String, Integer> namedPorts) {
        ParsedDocument doc = pc.doc();
        if (c.getName() == null || c.getName().isEmpty()) {
            throw Manifest.error(doc, path + ".name", "a container needs a name");
        }
        Manifest.checkName(doc, path + ".name", c.getName(), true);
        if (!names.add(c.getName())) {
            throw Manifest.error(doc, path + ".name", "duplicate container name \"" + c.getName() + "\"");
        }
        if (c.getImage() == null || c.getImage().isBlank()) {
            throw Manifest.error(doc, path + ".image", "an image is required");
        }
        PullPolicy pull;
        try {
            pull = PullPolicy.forKubernetes(c.getImagePullPolicy(), c.getImage());
        } catch (RuntimeException e) {
            throw Manifest.error(doc, path + ".imagePullPolicy", e.getMessage());
        }
        if (init && (c.getLivenessProbe() != null || c.getReadinessProbe() != null || c.getStartupProbe() != null)) {
            throw Manifest.error(doc, path, "init containers may not have probes");
        }

        // env: envFrom first, explicit env wins; $(VAR) expands from what came before
        Map<String, String> env = new LinkedHashMap<>();
        List<EnvFromSource> envFrom = nzl(c.getEnvFrom());
        for (int i = 0; i < envFrom.size(); i++) {
            envFrom(doc, path + ".envFrom[" + i + "]", envFrom.get(i), env);
        }
        List<EnvVar> envVars = nzl(c.getEnv());
        for (int i = 0; i < envVars.size(); i++) {
            EnvVar e = envVars.get(i);
            String p = path + ".env[" + i + "]";
            if (e.getName() == null || e.getName().isEmpty()) {
                throw Manifest.error(doc, p + ".name", "an env entry needs a name");
            }
            String value;
            if (e.getValueFrom() != null) {
                value = valueFrom(pc, p + ".valueFrom", e.getValueFrom(), c);
                if (value == null) {
                    continue; // optional and missing
                }
            } else {
                value = EnvExpansion.expand(e.getValue() == null ? "" : e.getValue(), env);
            }
            env.remove(e.getName());
            env.put(e.getName(), value);
        }
        List<String> podIpVars = new ArrayList<>();
        env.forEach((k, v) -> {
            if (v.equals(POD_IP_PLACEHOLDER)) {
                podIpVars.add(k);
            }
        });
        podIpVars.forEach(k -> env.put(k, ""));
        List<String> command = c.getCommand() == null || c.getCommand().isEmpty() ? null
                : c.getCommand().stream().map(s -> EnvExpansion.expand(s, env)).toList();
        List<String> args = c.getArgs() == null || c.getArgs().isEmpty() ? null
                : c.getArgs().stream().map(s -> EnvExpansion.expand(s, env)).toList();

        // security
        SecurityContext sc = c.getSecurityContext();
        PodSecurityContext psc = pc.security();
        Long runAsUser = sc != null && sc.getRunAsUser() != null ? sc.getRunAsUser()
                : psc != null ? psc.getRunAsUser() : null;
        Long runAsGroup = sc != null && sc.getRunAsGroup() != null ? sc.getRunAsGroup()
                : psc != null ? psc.getRunAsGroup() : null;
        Boolean nonRoot = sc != null && sc.getRunAsNonRoot() != null ? sc.getRunAsNonRoot()
                : psc != null ? psc.getRunAsNonRoot() : null;
        String nonRootField = (sc != null && sc.getRunAsNonRoot() != null ? path : pc.base())
                + ".securityContext.runAsNonRoot";
        if (Boolean.TRUE.equals(nonRoot) && runAsUser != null && runAsUser == 0) {
            throw Manifest.error(doc, nonRootField, "runAsNonRoot is set but runAsUser is 0");
        }
        NonRootPolicy.Requirement nonRootRequirement = Boolean.TRUE.equals(nonRoot) && runAsUser == null
                ? new NonRootPolicy.Requirement(doc, nonRootField) : null;
        String user = null;
        if (runAsUser != null) {
            user = runAsUser + (runAsGroup != null ? ":" + runAsGroup : "");
        } else if (runAsGroup != null) {
            warnings.unhonoured(doc, path + ".securityContext.runAsGroup", "needs runAsUser as well");
        }
        List<String> capAdd = new ArrayList<>();
        List<String> capDrop = new ArrayList<>();
        boolean privileged = false;
        boolean readOnly = false;
        boolean noNewPrivileges = false;
        List<String> unmasked = new ArrayList<>();
        String seccomp = seccomp(psc == null ? null : psc.getSeccompProfile());
        if (sc != null) {
            Capabilities caps = sc.getCapabilities();
            if (caps != null) {
                capAdd.addAll(nzl(caps.getAdd()));
                capDrop.addAll(nzl(caps.getDrop()));
            }
            privileged = Boolean.TRUE.equals(sc.getPrivileged());
            readOnly = Boolean.TRUE.equals(sc.getReadOnlyRootFilesystem());
            noNewPrivileges = Boolean.FALSE.equals(sc.getAllowPrivilegeEscalation());
            if ("Unmasked".equals(sc.getProcMount())) {
                unmasked.add("ALL");
            }
            if (sc.getSeccompProfile() != null) {
                seccomp = seccomp(sc.getSeccompProfile());
            }
            if (sc.getSeLinuxOptions() != null) {
                warnings.unhonoured(doc, path + ".securityContext.seLinuxOptions", "kpod does not use SELinux");
            }
        }
        if (Boolean.TRUE.equals(podmanFlag(pc, "privileged", c.getName()))) {
            privileged = true;
        }
        String seccompKey = PODMAN_ANNOTATIONS + "seccomp/" + c.getName();
        String seccompAnnotation = pc.annotations().get(seccompKey);
        if (seccompAnnotation != null && (sc == null || sc.getSeccompProfile() == null)) {
            // Podman records --security-opt seccomp=unconfined|PROFILE.json this way; securityContext wins
            if (!seccompAnnotation.equals("unconfined") && !seccompAnnotation.startsWith("/")) {
                throw Manifest.error(doc, annotationPath(pc, seccompKey),
                        "expected unconfined or the absolute path of a seccomp profile, not \"" + seccompAnnotation + "\"");
            }
            seccomp = seccompAnnotation;
        }

        // resources
        Long memory = null;
        Long quota = null;
        Long period = null;
        Long shares = null;
        ResourceRequirements rr = c.getResources();
        if (rr != null) {
            Quantity mem = nz(rr.getLimits()).get("memory");
            if (mem != null) {
                memory = bytes(doc, path + ".resources.limits.memory", mem);
            }
            Quantity cpu = nz(rr.getLimits()).get("cpu");
            if (cpu != null) {
                period = 100_000L;
                quota = Math.max(1000L, cpus(cpu).multiply(BigDecimal.valueOf(period)).longValue());
            }
            Quantity req = nz(rr.getRequests()).get("cpu");
            if (req != null) {
                shares = Math.max(2L, cpus(req).multiply(BigDecimal.valueOf(1024)).longValue());
            }
        }
        Map<String, String> sysctls = new LinkedHashMap<>();
        if (psc != null) {
            for (Sysctl s : nzl(psc.getSysctls())) {
                sysctls.put(s.getName(), s.getValue());
            }
        }
        String pidsLimit = pc.annotations().get("io.podman.annotations.pids-limit");
        ResourceSpec resources = new ResourceSpec(memory, quota, period, shares,
                pidsLimit == null ? null : pidsLimit(doc, path, pidsLimit), List.of(), sysctls, null)
                .withCpuset(podmanCpuList(pc, "cpuset", c.getName()), podmanCpuList(pc, "memory-nodes", c.getName()));

        // ports
        List<ContainerPort> ports = nzl(c.getPorts());
        for (int i = 0; i < ports.size(); i++) {
            ContainerPort p = ports.get(i);
            String pp = path + ".ports[" + i + "]";
            if (p.getContainerPort() == null || p.getContainerPort() < 1 || p.getContainerPort() > 65535) {
                throw Manifest.error(doc, pp + ".containerPort", "containerPort must be between 1 and 65535");
            }
            String proto = p.getProtocol() == null ? "tcp" : p.getProtocol().toLowerCase();
            if (!Set.of("tcp", "udp", "sctp").contains(proto)) {
                throw Manifest.error(doc, pp + ".protocol", "invalid protocol \"" + p.getProtocol() + "\"");
            }
            if (p.getName() != null) {
                namedPorts.put(p.getName(), p.getContainerPort());
            } else {
                namedPorts.put("#" + p.getContainerPort() + "/" + proto, p.getContainerPort());
            }
            if (p.getHostPort() != null && p.getHostPort() > 0) {
                String ip = p.getHostIP() == null || p.getHostIP().isEmpty() ? "" : p.getHostIP() + ":";
                publish.add(ip + p.getHostPort() + ":" + p.getContainerPort() + "/" + proto);
            } else if (options.publishAll() || Boolean.TRUE.equals(podmanFlag(pc, "publish-all", c.getName()))) {
                publish.add(p.getContainerPort() + ":" + p.getContainerPort() + "/" + proto);
            }
        }

        // mounts
        List<io.kpod.spec.VolumeMount> mounts = new ArrayList<>();
        List<VolumeMount> vms = nzl(c.getVolumeMounts());
        for (int i = 0; i < vms.size(); i++) {
            VolumeMount vm = vms.get(i);
            String mp = path + ".volumeMounts[" + i + "]";
            MountSource src = pc.mounts().get(vm.getName());
            if (src == null) {
                throw Manifest.error(doc, mp + ".name", "no volume named \"" + vm.getName() + "\" in the pod");
            }
            if (vm.getMountPath() == null || !vm.getMountPath().startsWith("/")) {
                throw Manifest.error(doc, mp + ".mountPath", "mountPath must be an absolute path");
            }
            // "/a/../b" is "/b", as Podman cleans it; ".." cannot climb above the container's root
            String destination = Path.of(vm.getMountPath()).normalize().toString();
            if (destination.equals("/")) {
                throw Manifest.error(doc, mp + ".mountPath", "a volume cannot be mounted over the container's root");
            }
            List<String> opts = new ArrayList<>();
            opts.add(Boolean.TRUE.equals(vm.getReadOnly()) || src.forceReadOnly() ? "ro" : "rw");
            String sub = vm.getSubPath();
            if (vm.getSubPathExpr() != null && !vm.getSubPathExpr().isEmpty()) {
                sub = EnvExpansion.expand(vm.getSubPathExpr(), env);
            }
            String source = src.source();
            if (sub != null && !sub.isEmpty()) {
                String rel = relative(doc, mp + ".subPath", sub);
                if (src.type() == io.kpod.spec.VolumeMount.Type.BIND) {
                    source = Path.of(source).resolve(rel).toString();
                } else {
                    opts.add("subpath=" + rel);
                }
            }
            mounts.add(new io.kpod.spec.VolumeMount(src.type(), source, destination, opts));
        }

        // probes: the liveness probe (else the startup probe) becomes the container's health check
        HealthCheck health = null;
        Probe probe = c.getLivenessProbe() != null ? c.getLivenessProbe() : c.getStartupProbe();
        if (probe != null) {
            HealthCheck h = health(doc, path + (c.getLivenessProbe() != null ? ".livenessProbe" : ".startupProbe"),
                    probe, c);
            // a failing liveness (or startup) probe restarts the container; under Never it is killed
            health = new HealthCheck(h.test(), h.interval(), h.timeout(), h.retries(), h.startPeriod(),
                    restart.mode() == RestartPolicy.Mode.NO ? "kill" : "restart", 5, 500);
        }

        Map<String, String> annotations = new LinkedHashMap<>(pc.annotations());
        annotations.putAll(options.annotations());
        // a manifest never picks a host directory as a container's root filesystem
        annotations.remove(io.kpod.engine.container.RootfsDir.ANNOTATION);
        annotations.remove(io.kpod.spec.VolumesFrom.ANNOTATION);
        VolumesFromSources.Requirement volumesFrom = volumesFrom(pc, c.getName(), names, annotations);
        if (init) {
            annotations.put(KubeLabels.INIT_TYPE, "always");
        }
        if (!podIpVars.isEmpty()) {
            annotations.put("io.kpod.env.pod-ip", String.join(",", podIpVars));
        }
        if (c.getLifecycle() != null) {
            hook(doc, path + ".lifecycle.postStart", c.getLifecycle().getPostStart(), c, annotations,
                    "io.kpod.hook.poststart");
            hook(doc, path + ".lifecycle.preStop", c.getLifecycle().getPreStop(), c, annotations,
                    "io.kpod.hook.prestop");
        }
        if (c.getReadinessProbe() != null) {
            HealthCheck ready = health(doc, path + ".readinessProbe", c.getReadinessProbe(), c);
            try {
                annotations.put("io.kpod.readiness", io.kpod.engine.Json.MAPPER.writeValueAsString(ready));
            } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
                throw new IllegalStateException(e);
            }
        }

        Map<String, String> labels = new LinkedHashMap<>(pc.labels());
        labels.put(KubeLabels.MANIFEST, manifestKey);
        List<String> groups = new ArrayList<>();
        if (psc != null && psc.getSupplementalGroups() != null) {
            psc.getSupplementalGroups().forEach(g -> groups.add(Long.toString(g)));
        }
        if (psc != null && psc.getFsGroup() != null) {
            groups.add(Long.toString(psc.getFsGroup()));
        }
        ProcessSpec process = new ProcessSpec(command, command != null ? (args == null ? List.of() : args) : args,
                env, c.getWorkingDir(), user, Boolean.TRUE.equals(c.getStdin()), Boolean.TRUE.equals(c.getTty()),
                groups);
        SecuritySpec security = new SecuritySpec(capAdd, capDrop, privileged, readOnly, noNewPrivileges, seccomp,
                List.of(), unmasked);
        Integer stopTimeout = pc.grace() == null ? null : (int) Math.min(Integer.MAX_VALUE, pc.grace());
        boolean autoremove = Boolean.TRUE.equals(podmanFlag(pc, "autoremove", c.getName()));
        if (autoremove && (init || restart.mode() != RestartPolicy.Mode.NO)) {
            throw Manifest.error(doc, annotationPath(pc, PODMAN_ANNOTATIONS + "autoremove/" + c.getName()),
                    "a container removed when it exits needs restartPolicy Never and cannot be an init container");
        }
        boolean initProcess = Boolean.TRUE.equals(podmanFlag(pc, "init", c.getName()));
        ContainerSpec spec = new ContainerSpec(pc.podName() + "-" + c.getName(), c.getImage(), process, security,
                resources, mounts, List.of(), null, null, labels, annotations, restart, null, stopTimeout, autoremove,
                initProcess, health, options.logDriver(), null, null, null, null, options.logOptions());
        return new DesiredContainer(spec, init, pull, nonRootRequirement, volumesFrom);
    }

    /**
     * {@code io.podman.annotations.volumes-from/<container>}: {@code SRC[:ro|rw|z][;SRC2…]}, as
     * Podman's {@code kube generate --podman-only} writes it. A SRC naming a container of this
     * pod declared before this one becomes that container (Podman's rule, which also rules out
     * cycles); any other SRC is an existing container, checked before the play changes anything.
     * The resolved list goes into the container's own volumes-from annotation for the engine.
     */
    private static VolumesFromSources.Requirement volumesFrom(PodContext pc, String container, Set<String> before,
                                                             Map<String, String> annotations) {
        String key = io.kpod.spec.VolumesFrom.ANNOTATION + "/" + container;
        String value = pc.annotations().get(key);
        if (value == null || value.isEmpty()) {
            return null;
        }
        String field = annotationPath(pc, key);
        List<io.kpod.spec.VolumesFrom> entries;
        try {
            entries = io.kpod.spec.VolumesFrom.parseList(value);
        } catch (io.kpod.spec.KpodException e) {
            throw Manifest.error(pc.doc(), field, e.getMessage());
        }
        List<String> resolved = new ArrayList<>();
        List<String> outside = new ArrayList<>();
        for (io.kpod.spec.VolumesFrom f : entries) {
            if (f.container().equals(container)) {
                throw Manifest.error(pc.doc(), field, "container " + container + " cannot take volumes from itself");
            }
            if (before.contains(f.container())) {
                resolved.add(new io.kpod.spec.VolumesFrom(pc.podName() + "-" + f.container(), f.readOnly()).toString());
            } else {
                resolved.add(f.toString());
                outside.add(f.container());
            }
        }
        annotations.put(io.kpod.spec.VolumesFrom.ANNOTATION, String.join(";", resolved));
        return outside.isEmpty() ? null : new VolumesFromSources.Requirement(pc.doc(), field, outside);
    }

    private static final String PODMAN_ANNOTATIONS = "io.podman.annotations.";

    /** Where the pod's annotation {@code key} is: metadata of a Pod, spec.template.metadata of a workload. */
    private static String annotationPath(PodContext pc, String key) {
        String meta = pc.base().endsWith("spec") ? pc.base().substring(0, pc.base().length() - 4) + "metadata"
                : "metadata";
        return meta + ".annotations[" + key + "]";
    }

    /**
     * A per-container switch Podman's {@code kube generate --podman-only} writes as a pod
     * annotation {@code io.podman.annotations.<what>/<container>} (autoremove, init, privileged,
     * publish-all): its value as Go's strconv.ParseBool reads it, or null when absent.
     */
    private static Boolean podmanFlag(PodContext pc, String what, String container) {
        String key = PODMAN_ANNOTATIONS + what + "/" + container;
        String v = pc.annotations().get(key);
        if (v == null) {
            return null;
        }
        return switch (v) {
            case "1", "t", "T", "true", "TRUE", "True" -> true;
            case "0", "f", "F", "false", "FALSE", "False" -> false;
            default -> throw Manifest.error(pc.doc(), annotationPath(pc, key),
                    "\"" + v + "\" is not a boolean (true or false)");
        };
    }

    /** {@code io.podman.annotations.cpuset/<container>} or {@code memory-nodes/<container>}: a CPU or node list. */
    private static String podmanCpuList(PodContext pc, String what, String container) {
        String key = PODMAN_ANNOTATIONS + what + "/" + container;
        try {
            return ResourceSpec.cpuList(what, pc.annotations().get(key));
        } catch (io.kpod.spec.KpodException e) {
            throw Manifest.error(pc.doc(), annotationPath(pc, key), e.getMessage());
        }
    }

    private void envFrom(ParsedDocument doc, String path, EnvFromSource ef, Map<String, String> env) {
        String prefix = ef.getPrefix() == null ? "" : ef.getPrefix();
        if (ef.getConfigMapRef() != null) {
            ConfigMap cm = manifest.configMaps().get(ef.getConfigMapRef().getName());
            if (cm == null) {
                if (Boolean.TRUE.equals(ef.getConfigMapRef().getOptional())) {
                    return;
                }
                throw Manifest.error(doc, path + ".configMapRef.name", "ConfigMap \""
                        + ef.getConfigMapRef().getName() + "\" is not defined in the manifest or by --configmap");
            }
            nz(cm.getData()).forEach((k, v) -> env.put(prefix + k, v));
        } else if (ef.getSecretRef() != null) {
            Secret s = manifest.secrets().get(ef.getSecretRef().getName());
            if (s == null) {
                if (Boolean.TRUE.equals(ef.getSecretRef().getOptional())) {
                    return;
                }
                throw Manifest.error(doc, path + ".secretRef.name", "Secret \"" + ef.getSecretRef().getName()
                        + "\" is not defined in the manifest");
            }
            secretData(s).forEach((k, v) -> env.put(prefix + k, new String(v, StandardCharsets.UTF_8)));
        } else {
            throw Manifest.error(doc, path, "envFrom needs configMapRef or secretRef");
        }
    }

    /** A valueFrom source; null when it is optional and missing. */
    private String valueFrom(PodContext pc, String path, EnvVarSource src, Container c) {
        ParsedDocument doc = pc.doc();
        if (src.getConfigMapKeyRef() != null) {
            var ref = src.getConfigMapKeyRef();
            ConfigMap cm = manifest.configMaps().get(ref.getName());
            String v = cm == null ? null : nz(cm.getData()).get(ref.getKey());
            if (v == null) {
                if (Boolean.TRUE.equals(ref.getOptional())) {
                    return null;
                }
                throw Manifest.error(doc, path + ".configMapKeyRef", cm == null
                        ? "ConfigMap \"" + ref.getName() + "\" is not defined in the manifest or by --configmap"
                        : "ConfigMap \"" + ref.getName() + "\" has no key \"" + ref.getKey() + "\"");
            }
            return v;
        }
        if (src.getSecretKeyRef() != null) {
            var ref = src.getSecretKeyRef();
            Secret s = manifest.secrets().get(ref.getName());
            byte[] v = s == null ? null : secretData(s).get(ref.getKey());
            if (v == null) {
                if (Boolean.TRUE.equals(ref.getOptional())) {
                    return null;
                }
                throw Manifest.error(doc, path + ".secretKeyRef", s == null
                        ? "Secret \"" + ref.getName() + "\" is not defined in the manifest"
                        : "Secret \"" + ref.getName() + "\" has no key \"" + ref.getKey() + "\"");
            }
            return new String(v, StandardCharsets.UTF_8);
        }
        if (src.getFieldRef() != null) {
            String f = src.getFieldRef().getFieldPath();
            if (f == null) {
                throw Manifest.error(doc, path + ".fieldRef.fieldPath", "a fieldPath is required");
            }
            if (f.equals("metadata.name")) {
                return pc.podName();
            }
            if (f.equals("metadata.namespace")) {
                return pc.namespace();
            }
            if (f.equals("metadata.uid")) {
                return pc.uid();
            }
            if (f.equals("status.podIP") || f.equals("status.podIPs")) {
                return POD_IP_PLACEHOLDER;
            }
            if (f.equals("spec.nodeName") || f.equals("status.hostIP")) {
                warnings.unhonoured(doc, path + ".fieldRef", f + " is given as the host's name or loopback address");
                return f.equals("spec.nodeName") ? HostFacts.hostname() : HostFacts.hostIp();
            }
            if (f.equals("spec.serviceAccountName")) {
                return "default";
            }
            java.util.regex.Matcher m = java.util.regex.Pattern.compile("metadata\\.(labels|annotations)\\['([^']+)'\\]")
                    .matcher(f);
            if (m.matches()) {
                Map<String, String> src2 = m.group(1).equals("labels") ? pc.labels() : pc.annotations();
                return src2.getOrDefault(m.group(2), "");
            }
            if (f.equals("metadata.labels") || f.equals("metadata.annotations")) {
                Map<String, String> src2 = f.equals("metadata.labels") ? pc.labels() : pc.annotations();
                StringBuilder sb = new StringBuilder();
                new TreeMap<>(src2).forEach((k, v) -> sb.append(sb.length() == 0 ? "" : "\n").append(k)
                        .append("=\"").append(v).append('"'));
                return sb.toString();
            }
            throw Manifest.error(doc, path + ".fieldRef.fieldPath", "fieldPath \"" + f + "\" is not supported by kpod"
                    + " (supported: metadata.name, metadata.namespace, metadata.uid, metadata.labels['k'], "
                    + "metadata.annotations['k'], spec.nodeName, status.hostIP, status.podIP)");
        }
        if (src.getResourceFieldRef() != null) {
            var ref = src.getResourceFieldRef();
            ResourceRequirements rr = c.getResources();
            String res = ref.getResource() == null ? "" : ref.getResource();
            Quantity q = null;
            if (rr != null) {
                q = res.startsWith("limits.") ? nz(rr.getLimits()).get(res.substring(7))
                        : res.startsWith("requests.") ? nz(rr.getRequests()).get(res.substring(9)) : null;
            }
            if (!res.matches("(limits|requests)\\.(cpu|memory)")) {
                throw Manifest.error(doc, path + ".resourceFieldRef.resource", "resource \"" + res
                        + "\" is not supported (limits.cpu, limits.memory, requests.cpu, requests.memory)");
            }
            BigDecimal divisor = ref.getDivisor() == null ? BigDecimal.ONE
                    : Quantity.getAmountInBytes(ref.getDivisor());
            if (q == null) {
                // Kubernetes gives the node's allocatable amount when no limit is set
                return res.endsWith("cpu") ? Integer.toString(Runtime.getRuntime().availableProcessors())
                        : Long.toString(HostFacts.memoryBytes());
            }
            BigDecimal amount = Quantity.getAmountInBytes(q);
            return amount.divide(divisor, 0, RoundingMode.CEILING).toPlainString();
        }
        throw Manifest.error(doc, path, "valueFrom needs configMapKeyRef, secretKeyRef, fieldRef or resourceFieldRef");
    }

    /** A lifecycle hook as the engine's hook annotation: a JSON array (exec argv, or a KPOD-HTTP-GET/KPOD-TCP test). */
    private static void hook(ParsedDocument doc, String path, io.fabric8.kubernetes.api.model.LifecycleHandler h,
                             Container c, Map<String, String> annotations, String key) {
        if (h == null) {
            return;
        }
        List<String> argv;
        if (h.getExec() != null && h.getExec().getCommand() != null && !h.getExec().getCommand().isEmpty()) {
            argv = h.getExec().getCommand();
        } else if (h.getHttpGet() != null) {
            var g = h.getHttpGet();
            int port = probePort(doc, path + ".httpGet.port", g.getPort(), c);
            String host = g.getHost() == null || g.getHost().isEmpty() ? "localhost" : g.getHost();
            argv = List.of("KPOD-HTTP-GET", "http://" + host + ":" + port
                    + (g.getPath() == null || g.getPath().isEmpty() ? "/" : g.getPath()));
        } else if (h.getTcpSocket() != null) {
            var t = h.getTcpSocket();
            argv = List.of("KPOD-TCP", t.getHost() == null || t.getHost().isEmpty() ? "localhost" : t.getHost(),
                    Integer.toString(probePort(doc, path + ".tcpSocket.port", t.getPort(), c)));
        } else if (h.getSleep() != null && h.getSleep().getSeconds() != null) {
            argv = List.of("sleep", Long.toString(h.getSleep().getSeconds()));
        } else {
            throw Manifest.error(doc, path, "a lifecycle hook needs exec, httpGet, tcpSocket or sleep");
        }
        try {
            annotations.put(key, HASH_JSON.writeValueAsString(argv));
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static int probePort(ParsedDocument doc, String path, io.fabric8.kubernetes.api.model.IntOrString port,
                                 Container c) {
        if (port == null) {
            throw Manifest.error(doc, path, "a probe needs a port");
        }
        if (port.getIntVal() != null) {
            return port.getIntVal();
        }
        for (ContainerPort cp : nzl(c.getPorts())) {
            if (port.getStrVal().equals(cp.getName())) {
                return cp.getContainerPort();
            }
        }
        throw Manifest.error(doc, path, "no container port named \"" + port.getStrVal() + "\"");
    }

    private HealthCheck health(ParsedDocument doc, String path, Probe p, Container c) {
        List<String> test;
        if (p.getExec() != null) {
            ExecAction e = p.getExec();
            if (e.getCommand() == null || e.getCommand().isEmpty()) {
                throw Manifest.error(doc, path + ".exec.command", "an exec probe needs a command");
            }
            test = new ArrayList<>(List.of("CMD"));
            test.addAll(e.getCommand());
        } else if (p.getHttpGet() != null) {
            var h = p.getHttpGet();
            int port = probePort(doc, path + ".httpGet.port", h.getPort(), c);
            String host = h.getHost() == null || h.getHost().isEmpty() ? "localhost" : h.getHost();
            String scheme = h.getScheme() == null ? "http" : h.getScheme().toLowerCase();
            if (!scheme.equals("http")) {
                throw Manifest.error(doc, path + ".httpGet.scheme", "kpod probes speak http only");
            }
            String pathPart = h.getPath() == null || h.getPath().isEmpty() ? "/" : h.getPath();
            test = new ArrayList<>(List.of("KPOD-HTTP-GET", "http://" + host + ":" + port + pathPart));
            for (var header : nzl(h.getHttpHeaders())) {
                test.add(header.getName() + ": " + header.getValue());
            }
        } else if (p.getTcpSocket() != null) {
            var t = p.getTcpSocket();
            int port = probePort(doc, path + ".tcpSocket.port", t.getPort(), c);
            String host = t.getHost() == null || t.getHost().isEmpty() ? "localhost" : t.getHost();
            test = List.of("KPOD-TCP", host, Integer.toString(port));
        } else {
            throw Manifest.error(doc, path, "a probe needs exec, httpGet or tcpSocket");
        }
        atLeast(doc, path + ".periodSeconds", p.getPeriodSeconds(), 1);
        atLeast(doc, path + ".timeoutSeconds", p.getTimeoutSeconds(), 1);
        atLeast(doc, path + ".failureThreshold", p.getFailureThreshold(), 1);
        atLeast(doc, path + ".initialDelaySeconds", p.getInitialDelaySeconds(), 0);
        Duration interval = Duration.ofSeconds(p.getPeriodSeconds() == null ? 10 : p.getPeriodSeconds());
        Duration timeout = Duration.ofSeconds(p.getTimeoutSeconds() == null ? 1 : p.getTimeoutSeconds());
        int retries = p.getFailureThreshold() == null ? 3 : p.getFailureThreshold();
        Duration start = Duration.ofSeconds(p.getInitialDelaySeconds() == null ? 0 : p.getInitialDelaySeconds());
        return new HealthCheck(test, interval, timeout, retries, start);
    }

    private static long pidsLimit(ParsedDocument doc, String containerPath, String value) {
        try {
            return Long.parseLong(value.trim());
        } catch (NumberFormatException e) {
            String meta = containerPath.startsWith("spec.template.") ? "spec.template.metadata" : "metadata";
            throw Manifest.error(doc, meta + ".annotations[io.podman.annotations.pids-limit]",
                    "\"" + value + "\" is not a number");
        }
    }

    private static void atLeast(ParsedDocument doc, String path, Integer value, int min) {
        if (value != null && value < min) {
            throw Manifest.error(doc, path, "must be at least " + min);
        }
    }

    private static String seccomp(io.fabric8.kubernetes.api.model.SeccompProfile p) {
        if (p == null || p.getType() == null) {
            return null;
        }
        return switch (p.getType()) {
            case "Unconfined" -> "unconfined";
            case "Localhost" -> p.getLocalhostProfile() == null ? null
                    : p.getLocalhostProfile().startsWith("/") ? p.getLocalhostProfile()
                    : "/var/lib/kubelet/seccomp/" + p.getLocalhostProfile();
            default -> null;
        };
    }

    private int targetPort(ServicePort sp, Map<String, Integer> namedPorts) {
        if (sp.getTargetPort() == null) {
            return sp.getPort();
        }
        if (sp.getTargetPort().getIntVal() != null) {
            return sp.getTargetPort().getIntVal();
        }
        Integer p = namedPorts.get(sp.getTargetPort().getStrVal());
        return p == null ? sp.getPort() : p;
    }

    private static long bytes(ParsedDocument doc, String path, Quantity q) {
        try {
            return Quantity.getAmountInBytes(q).setScale(0, RoundingMode.CEILING).longValueExact();
        } catch (RuntimeException e) {
            throw Manifest.error(doc, path, "invalid quantity \"" + q + "\"");
        }
    }

    private static BigDecimal cpus(Quantity q) {
        return Quantity.getAmountInBytes(q);
    }

    /** Fields of the pod spec kpod reads past, reported once each. */
    private void ignored(ParsedDocument doc, String base, io.fabric8.kubernetes.api.model.PodSpec ks) {
        if (ks.getReadinessGates() != null && !ks.getReadinessGates().isEmpty()) {
            warnings.unhonoured(doc, base + ".readinessGates", "not tracked");
        }
        if (ks.getTopologySpreadConstraints() != null && !ks.getTopologySpreadConstraints().isEmpty()) {
            warnings.unhonoured(doc, base + ".topologySpreadConstraints", "one node only");
        }
        if (ks.getEphemeralContainers() != null && !ks.getEphemeralContainers().isEmpty()) {
            warnings.unhonoured(doc, base + ".ephemeralContainers", "not supported");
        }
    }

    private static String uid(String podName) {
        return UUID.nameUUIDFromBytes(podName.getBytes(StandardCharsets.UTF_8)).toString();
    }

    /** A digest over everything the pod is made from, stable across runs. */
    static String hash(PodSpec pod, List<DesiredContainer> containers, List<DesiredVolume> volumes) {
        try {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            // completions count only above 1, so that pods (and Jobs of one completion) played before kpod
            // had completions keep their hash: a replay of their manifest leaves them alone
            com.fasterxml.jackson.databind.node.ObjectNode podJson = HASH_JSON.valueToTree(pod);
            podJson.remove("completions");
            md.update(HASH_JSON.writeValueAsBytes(podJson));
            if (pod.completions() != null && pod.completions() > 1) {
                md.update(("completions=" + pod.completions()).getBytes(StandardCharsets.UTF_8));
            }
            for (DesiredContainer c : containers) {
                md.update(HASH_JSON.writeValueAsBytes(c));
            }
            for (DesiredVolume v : volumes) {
                md.update(HASH_JSON.writeValueAsBytes(v));
            }
            return HexFormat.of().formatHex(md.digest()).substring(0, 16);
        } catch (NoSuchAlgorithmException | com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static <K, V> Map<K, V> nz(Map<K, V> m) {
        return m == null ? Map.of() : m;
    }

    private static <T> List<T> nzl(List<T> l) {
        return l == null ? List.of() : l;
    }

    static InvalidManifestException invalid(ParsedDocument doc, String path, String message) {
        return Manifest.error(doc, path, message);
    }
}
