package io.kpod.kube.generate;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodSecurityContext;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.SecurityContext;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.apps.DaemonSet;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import java.util.ArrayList;
import java.util.List;

/**
 * What in a manifest would surprise someone who carries it from kpod to a cluster, one line per
 * finding: host paths and host ports (they tie a pod to one node), containers without resource
 * limits or probes, containers that may run as root, and images named {@code localhost/} that
 * no cluster can pull. Pure: objects in, lines out.
 */
public final class KubeLint {
    private KubeLint() {
    }

    /** The findings for every workload among {@code objects}, in order. */
    public static List<String> lint(List<? extends HasMetadata> objects) {
        List<String> out = new ArrayList<>();
        for (HasMetadata o : objects) {
            PodSpec spec = podSpec(o);
            if (spec != null) {
                lint(o.getKind() + " " + o.getMetadata().getName(), spec, out);
            }
        }
        return out;
    }

    private static PodSpec podSpec(HasMetadata o) {
        if (o instanceof Pod p) {
            return p.getSpec();
        }
        if (o instanceof Deployment d && d.getSpec() != null && d.getSpec().getTemplate() != null) {
            return d.getSpec().getTemplate().getSpec();
        }
        if (o instanceof DaemonSet d && d.getSpec() != null && d.getSpec().getTemplate() != null) {
            return d.getSpec().getTemplate().getSpec();
        }
        if (o instanceof Job j && j.getSpec() != null && j.getSpec().getTemplate() != null) {
            return j.getSpec().getTemplate().getSpec();
        }
        return null;
    }

    private static void lint(String where, PodSpec spec, List<String> out) {
        if (Boolean.TRUE.equals(spec.getHostNetwork())) {
            out.add(where + ": hostNetwork: the pod shares the network of whichever node it lands on");
        }
        for (Volume v : list(spec.getVolumes())) {
            if (v.getHostPath() != null) {
                out.add(where + ": volume " + v.getName() + " is a hostPath (" + v.getHostPath().getPath()
                        + "): on a cluster it is a directory of whichever node runs the pod");
            }
        }
        List<Container> inits = list(spec.getInitContainers());
        List<Container> all = new ArrayList<>(inits);
        all.addAll(list(spec.getContainers()));
        boolean podNonRoot = nonRoot(spec.getSecurityContext());
        for (Container c : all) {
            boolean init = inits.contains(c);
            String at = where + ", " + (init ? "init container " : "container ") + c.getName();
            String image = c.getImage() == null ? "" : c.getImage();
            if (image.startsWith("localhost/")) {
                out.add(at + ": image " + image + " has a localhost/ name that no cluster can pull; push it to a registry");
            }
            for (ContainerPort p : list(c.getPorts())) {
                if (p.getHostPort() != null && p.getHostPort() > 0) {
                    out.add(at + ": port " + p.getContainerPort() + " uses hostPort " + p.getHostPort()
                            + ", which ties the pod to a node and clashes between replicas; use a Service");
                }
            }
            if (c.getResources() == null || c.getResources().getLimits() == null
                    || c.getResources().getLimits().isEmpty()) {
                out.add(at + ": no resource limits (memory, cpu); a cluster may reject or starve it");
            }
            if (!init && c.getLivenessProbe() == null && c.getReadinessProbe() == null) {
                out.add(at + ": no liveness or readiness probe");
            }
            SecurityContext sc = c.getSecurityContext();
            if (Boolean.TRUE.equals(sc == null ? null : sc.getPrivileged())) {
                out.add(at + ": privileged");
            }
            boolean nonRoot = sc != null && (Boolean.TRUE.equals(sc.getRunAsNonRoot())
                    || (sc.getRunAsUser() != null && sc.getRunAsUser() != 0));
            boolean root = sc != null && sc.getRunAsUser() != null && sc.getRunAsUser() == 0;
            if (root || (!nonRoot && !podNonRoot)) {
                out.add(at + (root ? ": runs as root (runAsUser: 0)"
                        : ": may run as root (no runAsUser or runAsNonRoot; the image's user applies)"));
            }
        }
    }

    /** Objects built in code (kube generate) leave unset lists null; parsed ones have them empty. */
    private static <T> List<T> list(List<T> l) {
        return l == null ? List.of() : l;
    }

    private static boolean nonRoot(PodSecurityContext psc) {
        return psc != null && (Boolean.TRUE.equals(psc.getRunAsNonRoot())
                || (psc.getRunAsUser() != null && psc.getRunAsUser() != 0));
    }
}
