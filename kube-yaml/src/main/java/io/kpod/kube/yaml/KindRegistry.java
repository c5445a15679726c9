package io.kpod.kube.yaml;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.DaemonSet;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import java.util.Map;

/** The kinds kpod acts on, by {@code apiVersion/kind}, and their fabric8 types. */
final class KindRegistry {
    private static final Map<String, Class<? extends HasMetadata>> HONOURED = Map.of(
            "v1/Pod", Pod.class,
            "v1/ConfigMap", ConfigMap.class,
            "v1/Secret", Secret.class,
            "v1/PersistentVolumeClaim", PersistentVolumeClaim.class,
            "v1/Service", Service.class,
            "apps/v1/Deployment", Deployment.class,
            "apps/v1/DaemonSet", DaemonSet.class,
            "batch/v1/Job", Job.class);

    private KindRegistry() {
    }

    /** The typed class, or null for a kind kpod does not honour (read as a generic resource). */
    static Class<? extends HasMetadata> typeOf(String apiVersion, String kind) {
        return HONOURED.get(apiVersion + "/" + kind);
    }

    static boolean isList(String apiVersion, String kind) {
        return "List".equals(kind) && "v1".equals(apiVersion);
    }
}
