package io.kpod.kube.play;

import io.kpod.spec.PodSpec;
import java.util.List;

/**
 * A pod as the manifest wants it: the pod, its containers in start order (init containers
 * first), the volumes to make before them, and a digest of all of it.
 *
 * @param workload {@code Kind/name} of the object it comes from
 * @param replica  its index among the workload's replicas (0 for a Pod)
 * @param job      whether it is a Job's pod (it runs to completion)
 */
public record DesiredPod(String name, String workload, int replica, boolean job, PodSpec pod,
                         List<DesiredContainer> containers, List<DesiredVolume> volumes, String hash) {
    public DesiredPod {
        containers = List.copyOf(containers);
        volumes = List.copyOf(volumes);
    }
}
