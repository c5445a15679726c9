package io.kpod.kube.play;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.DaemonSet;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.kpod.kube.yaml.InvalidManifestException;
import io.kpod.kube.yaml.ParseResult;
import io.kpod.kube.yaml.ParsedDocument;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The objects of one play, sorted by what kpod does with them: workloads become pods,
 * ConfigMaps, Secrets and claims feed them, Services give them names and host ports.
 */
public final class Manifest {
    /**
     * Pods one play may make, replicas counted: far above what one host runs (a kubelet's
     * default is 110), low enough that {@code replicas: 2000000000} is refused at once instead
     * of translated pod by pod into memory.
     */
    public static final int MAX_PODS = 1000;
    private static final Pattern DNS_1123_LABEL = Pattern.compile("[a-z0-9]([-a-z0-9]*[a-z0-9])?");
    private static final Pattern DNS_1123_SUBDOMAIN =
            Pattern.compile("[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*");

    /**
     * A Pod, or the pod template of a Deployment, DaemonSet or Job, with where it was read; a
     * Job's backoffLimit, completions and parallelism as written (null when absent).
     */
    public record Workload(String kind, String name, int replicas, PodTemplateSpec template, ParsedDocument origin,
                           Integer backoffLimit, Integer completions, Integer parallelism) {
        public String key() {
            return kind + "/" + name;
        }

        public boolean job() {
            return kind.equals("Job");
        }
    }

    private final List<Workload> workloads = new ArrayList<>();
    private final Map<String, ConfigMap> configMaps = new LinkedHashMap<>();
    private final Map<String, Secret> secrets = new LinkedHashMap<>();
    private final Map<String, PersistentVolumeClaim> claims = new LinkedHashMap<>();
    private final List<Service> services = new ArrayList<>();
    private final List<String> ignoredKinds = new ArrayList<>();

    private Manifest() {
    }

    /**
     * Sorts the parsed objects; {@code extraConfigMaps} ({@code --configmap} files) come first so
     * that the manifest's own win. Checks names and duplicates.
     */
    public static Manifest of(ParseResult parsed, List<ParsedDocument> extraConfigMaps) {
        Manifest m = new Manifest();
        for (ParsedDocument d : extraConfigMaps) {
            if (!(d.resource() instanceof ConfigMap cm)) {
                throw error(d, "kind", "--configmap files may only hold ConfigMaps, found " + d.resource().getKind());
            }
            m.configMaps.put(name(d), cm);
        }
        Map<String, ParsedDocument> seen = new LinkedHashMap<>();
        long pods = 0;
        for (ParsedDocument d : parsed.documents()) {
            HasMetadata r = d.resource();
            if (!d.honoured()) {
                String kind = d.kindReference();
                if (!m.ignoredKinds.contains(kind)) {
                    m.ignoredKinds.add(kind);
                }
                continue;
            }
            String name = name(d);
            int workloadsBefore = m.workloads.size();
            ParsedDocument before = seen.putIfAbsent(r.getKind() + "/" + name, d);
            if (before != null) {
                throw error(d, "metadata.name", r.getKind() + " \"" + name + "\" is defined twice (first in "
                        + before.source() + " document " + before.index() + ")");
            }
            if (r instanceof Pod p) {
                m.workloads.add(new Workload("Pod", name, 1, new PodTemplateSpec(p.getMetadata(), template(d, p.getSpec())),
                        d, null, null, null));
            } else if (r instanceof Deployment dep) {
                Integer replicas = dep.getSpec() == null ? null : dep.getSpec().getReplicas();
                if (replicas != null && replicas < 0) {
                    throw error(d, "spec.replicas", "replicas must not be negative");
                }
                m.workloads.add(new Workload("Deployment", name, replicas == null ? 1 : replicas,
                        template(d, dep.getSpec() == null ? null : dep.getSpec().getTemplate()), d, null, null, null));
            } else if (r instanceof DaemonSet ds) {
                m.workloads.add(new Workload("DaemonSet", name, 1,
                        template(d, ds.getSpec() == null ? null : ds.getSpec().getTemplate()), d, null, null, null));
            } else if (r instanceof Job job) {
                var spec = job.getSpec();
                m.workloads.add(new Workload("Job", name, 1, template(d, spec == null ? null : spec.getTemplate()), d,
                        spec == null ? null : spec.getBackoffLimit(), spec == null ? null : spec.getCompletions(),
                        spec == null ? null : spec.getParallelism()));
            } else if (r instanceof ConfigMap cm) {
                m.configMaps.put(name, cm);
            } else if (r instanceof Secret s) {
                m.secrets.put(name, s);
            } else if (r instanceof PersistentVolumeClaim c) {
                m.claims.put(name, c);
            } else if (r instanceof Service s) {
                m.services.add(s);
            } else if (!m.ignoredKinds.contains(d.kindReference())) {
                m.ignoredKinds.add(d.kindReference());
            }
            if (m.workloads.size() > workloadsBefore) {
                pods += m.workloads.get(workloadsBefore).replicas();
                if (pods > MAX_PODS) {
                    throw error(d, r instanceof Deployment ? "spec.replicas" : "metadata.name", "the manifest makes "
                            + "more than " + MAX_PODS + " pods (replicas counted), more than kpod runs from one play");
                }
            }
        }
        return m;
    }

    private static PodTemplateSpec template(ParsedDocument d, PodTemplateSpec t) {
        if (t == null || t.getSpec() == null) {
            throw error(d, "spec.template.spec", "a pod template is required");
        }
        return t;
    }

    private static io.fabric8.kubernetes.api.model.PodSpec template(ParsedDocument d,
                                                                     io.fabric8.kubernetes.api.model.PodSpec s) {
        if (s == null) {
            throw error(d, "spec", "a pod spec is required");
        }
        return s;
    }

    private static String name(ParsedDocument d) {
        var meta = d.resource().getMetadata();
        String name = meta == null ? null : meta.getName();
        if (name == null || name.isEmpty()) {
            throw error(d, "metadata.name", "a name is required");
        }
        boolean label = d.resource() instanceof Pod || d.resource() instanceof Deployment
                || d.resource() instanceof DaemonSet || d.resource() instanceof Job || d.resource() instanceof Service;
        checkName(d, "metadata.name", name, label);
        return name;
    }

    /** DNS-1123: a label (at most 63) for pods, workloads and services, a subdomain (at most 253) for the rest. */
    static void checkName(ParsedDocument d, String path, String name, boolean label) {
        int max = label ? 63 : 253;
        Pattern p = label ? DNS_1123_LABEL : DNS_1123_SUBDOMAIN;
        if (name.length() > max || !p.matcher(name).matches()) {
            throw error(d, path, "invalid name \"" + (name.length() > 80 ? name.substring(0, 80) + "…" : name)
                    + "\": must be a lowercase RFC 1123 " + (label ? "label" : "subdomain") + " of at most " + max
                    + " characters (letters, digits, '-'" + (label ? "" : ", '.'") + ")");
        }
    }

    static InvalidManifestException error(ParsedDocument d, String path, String message) {
        return new InvalidManifestException(d.source(), d.index(), d.line(), path, message);
    }

    public List<Workload> workloads() {
        return workloads;
    }

    public Map<String, ConfigMap> configMaps() {
        return configMaps;
    }

    public Map<String, Secret> secrets() {
        return secrets;
    }

    public Map<String, PersistentVolumeClaim> claims() {
        return claims;
    }

    public List<Service> services() {
        return services;
    }

    /** {@code apiVersion/kind} of objects kpod skips, each once. */
    public List<String> ignoredKinds() {
        return ignoredKinds;
    }
}
