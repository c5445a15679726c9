package io.kpod.kube.play;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvFromSource;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeProjection;
import io.kpod.kube.yaml.KubeYaml;
import io.kpod.spec.KpodException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

/**
 * The objects each played workload came from, kept so that {@code kube generate} can give back
 * what was played rather than a reconstruction: the workload as written (a Deployment stays a
 * Deployment with its replicas and strategy) and the ConfigMaps, Secrets, claims and Services of
 * the same manifest that it uses. One YAML file per workload, {@code <dir>/<Kind>_<name>.yaml},
 * written when the workload is played and removed when it is taken down.
 */
public final class PlaySources {
    private final Path dir;

    public PlaySources(Path dir) {
        this.dir = dir;
    }

    private Path file(String workloadKey) {
        return dir.resolve(workloadKey.replace('/', '_') + ".yaml");
    }

    /** Records the sources of every workload of {@code manifest}. */
    public void record(Manifest manifest) {
        KubeYaml yaml = KubeYaml.create();
        for (Manifest.Workload w : manifest.workloads()) {
            List<HasMetadata> objects = new ArrayList<>();
            objects.add(w.origin().resource());
            objects.addAll(usedBy(w, manifest));
            write(file(w.key()), yaml.dump(objects));
        }
    }

    /** Forgets the sources of these workloads ({@code Kind/name}). */
    public void forget(Collection<String> workloadKeys) {
        for (String k : workloadKeys) {
            try {
                Files.deleteIfExists(file(k));
            } catch (IOException e) {
                // a leftover source is overwritten by the next play of that workload
            }
        }
    }

    /** The recorded objects of a workload ({@code Kind/name}): the workload first, then what it uses. */
    public Optional<List<HasMetadata>> of(String workloadKey) {
        Path f = file(workloadKey);
        if (!Files.isRegularFile(f)) {
            return Optional.empty();
        }
        try {
            return Optional.of(KubeYaml.create().parseText(f.toString(), Files.readString(f)).resources());
        } catch (IOException | KpodException e) {
            return Optional.empty();
        }
    }

    /** The manifest's ConfigMaps, Secrets, claims and Services that the workload's pods use. */
    static List<HasMetadata> usedBy(Manifest.Workload w, Manifest manifest) {
        PodSpec spec = w.template().getSpec();
        Set<String> configMaps = new LinkedHashSet<>();
        Set<String> secrets = new LinkedHashSet<>();
        Set<String> claims = new LinkedHashSet<>();
        for (Volume v : spec.getVolumes()) {
            if (v.getConfigMap() != null) {
                configMaps.add(v.getConfigMap().getName());
            }
            if (v.getSecret() != null) {
                secrets.add(v.getSecret().getSecretName());
            }
            if (v.getPersistentVolumeClaim() != null) {
                claims.add(v.getPersistentVolumeClaim().getClaimName());
            }
            if (v.getProjected() != null) {
                for (VolumeProjection p : v.getProjected().getSources()) {
                    if (p.getConfigMap() != null) {
                        configMaps.add(p.getConfigMap().getName());
                    }
                    if (p.getSecret() != null) {
                        secrets.add(p.getSecret().getName());
                    }
                }
            }
        }
        List<Container> containers = new ArrayList<>(spec.getInitContainers());
        containers.addAll(spec.getContainers());
        for (Container c : containers) {
            for (EnvVar e : c.getEnv()) {
                if (e.getValueFrom() != null && e.getValueFrom().getConfigMapKeyRef() != null) {
                    configMaps.add(e.getValueFrom().getConfigMapKeyRef().getName());
                }
                if (e.getValueFrom() != null && e.getValueFrom().getSecretKeyRef() != null) {
                    secrets.add(e.getValueFrom().getSecretKeyRef().getName());
                }
            }
            for (EnvFromSource e : c.getEnvFrom()) {
                if (e.getConfigMapRef() != null) {
                    configMaps.add(e.getConfigMapRef().getName());
                }
                if (e.getSecretRef() != null) {
                    secrets.add(e.getSecretRef().getName());
                }
            }
        }
        List<HasMetadata> out = new ArrayList<>();
        for (String n : configMaps) {
            ConfigMap cm = manifest.configMaps().get(n);
            if (cm != null) {
                out.add(cm);
            }
        }
        for (String n : secrets) {
            Secret s = manifest.secrets().get(n);
            if (s != null) {
                out.add(s);
            }
        }
        for (String n : claims) {
            PersistentVolumeClaim c = manifest.claims().get(n);
            if (c != null) {
                out.add(c);
            }
        }
        Map<String, String> labels = w.template().getMetadata() == null ? Map.of()
                : Optional.ofNullable(w.template().getMetadata().getLabels()).orElse(Map.of());
        for (Service s : manifest.services()) {
            Map<String, String> selector = s.getSpec() == null ? null : s.getSpec().getSelector();
            if (selector != null && !selector.isEmpty() && labels.entrySet().containsAll(selector.entrySet())) {
                out.add(s);
            }
        }
        return out;
    }

    private void write(Path file, String text) {
        try {
            Files.createDirectories(dir);
            Path tmp = dir.resolve("." + UUID.randomUUID() + ".tmp");
            Files.writeString(tmp, text, StandardCharsets.UTF_8);
            Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw KpodException.internal("cannot record the source of a workload in " + dir + ": " + e.getMessage(), e);
        }
    }
}
