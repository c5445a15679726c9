package io.kpod.kube.play;

import io.kpod.engine.image.ImagePuller;
import java.util.List;
import java.util.Map;

/**
 * What {@code kpod kube play} was asked, beyond the manifests.
 *
 * @param start       start the pods (Podman's {@code --start}, default true)
 * @param replace     tear down and re-create every pod of the manifest
 * @param networks    {@code --network}: names (or host/none); empty = the shared kube network
 * @param publish     {@code --publish} specs added to the first pod's infra
 * @param publishAll  publish every containerPort, not only those with a hostPort
 * @param logDriver   {@code --log-driver}, null for the default
 * @param annotations {@code --annotation} added to every container
 * @param ips         {@code --ip}, one per pod in order
 * @param macs        {@code --mac-address}, one per pod in order
 * @param noHosts     do not write /etc/hosts in the pods
 * @param strict      {@code --validate=strict}: fields kpod does not honour are errors
 * @param pull        how to reach registries
 * @param logOptions  {@code --log-opt} for every container
 * @param serviceContainer {@code --service-container}: a service pod whose conmon systemd tracks (Quadlet .kube)
 */
public record PlayOptions(boolean start, boolean replace, List<String> networks, List<String> publish,
                          boolean publishAll, String logDriver, Map<String, String> annotations, List<String> ips,
                          List<String> macs, boolean noHosts, boolean strict, ImagePuller.Options pull,
                          Map<String, String> logOptions, boolean serviceContainer, String userns) {

    /** Pods in the host's user namespace unless their annotation says otherwise. */
    public PlayOptions(boolean start, boolean replace, List<String> networks, List<String> publish,
                       boolean publishAll, String logDriver, Map<String, String> annotations, List<String> ips,
                       List<String> macs, boolean noHosts, boolean strict, ImagePuller.Options pull,
                       Map<String, String> logOptions, boolean serviceContainer) {
        this(start, replace, networks, publish, publishAll, logDriver, annotations, ips, macs, noHosts, strict, pull,
                logOptions, serviceContainer, null);
    }

    public PlayOptions(boolean start, boolean replace, List<String> networks, List<String> publish,
                       boolean publishAll, String logDriver, Map<String, String> annotations, List<String> ips,
                       List<String> macs, boolean noHosts, boolean strict, ImagePuller.Options pull) {
        this(start, replace, networks, publish, publishAll, logDriver, annotations, ips, macs, noHosts, strict, pull,
                Map.of(), false);
    }

    public PlayOptions {
        networks = networks == null ? List.of() : List.copyOf(networks);
        publish = publish == null ? List.of() : List.copyOf(publish);
        annotations = annotations == null ? Map.of() : Map.copyOf(annotations);
        ips = ips == null ? List.of() : List.copyOf(ips);
        macs = macs == null ? List.of() : List.copyOf(macs);
        pull = pull == null ? ImagePuller.Options.defaults() : pull;
        logOptions = logOptions == null ? Map.of() : Map.copyOf(logOptions);
    }

    public static PlayOptions defaults() {
        return new PlayOptions(true, false, List.of(), List.of(), false, null, Map.of(), List.of(), List.of(),
                false, false, null);
    }
}
