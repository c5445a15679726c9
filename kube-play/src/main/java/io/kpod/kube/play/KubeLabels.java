package io.kpod.kube.play;

/** The labels kpod puts on what a play makes, so that later plays and {@code kube down} find it. */
public final class KubeLabels {
    /** Which manifest made the object: see {@link ManifestKey}. */
    public static final String MANIFEST = io.kpod.engine.pod.PodService.PLAY_MANIFEST;
    /** {@code Kind/name} of the workload a pod belongs to. */
    public static final String WORKLOAD = "io.kpod.kube.workload";
    /** The replica index of a Deployment's pod. */
    public static final String REPLICA = "io.kpod.kube.replica";
    /** A digest of everything the pod was made from; a pod whose digest changed is replaced. */
    public static final String HASH = "io.kpod.kube.hash";
    /** On volumes: the pod that owns it (emptyDir, configMap and secret volumes), removed with it. */
    public static final String OWNER_POD = "io.kpod.kube.pod";
    /** On volumes made for a PersistentVolumeClaim: kept by {@code kube down} unless {@code --force}. */
    public static final String CLAIM = "io.kpod.kube.claim";
    /** On volumes: the pod's fsGroup, which owns the volume's files (setgid dirs, group-writable). */
    public static final String FS_GROUP = "io.kpod.kube.fsgroup";
    /** On the service pod {@code --service-container} makes. */
    public static final String SERVICE = io.kpod.engine.pod.PodService.PLAY_SERVICE;
    /** Podman's annotation marking an init container ("always" runs at every pod start, "once" only the first). */
    public static final String INIT_TYPE = "io.podman.annotations.init.container.type";

    private KubeLabels() {
    }
}
