package io.kpod.kube.play;

import com.fasterxml.jackson.annotation.JsonIgnore;
import io.kpod.engine.image.PullPolicy;
import io.kpod.spec.ContainerSpec;

/**
 * One container of a desired pod, init containers first in their order.
 *
 * @param nonRoot set when runAsNonRoot leaves the user to the image, checked once the image is
 *                present; not part of the pod's hash, since it changes what may run, not what runs
 * @param volumesFrom the containers outside the pod its volumes-from annotation names, checked
 *                    before anything is created; the annotation itself is in the spec (and the hash)
 */
public record DesiredContainer(ContainerSpec spec, boolean init, PullPolicy pullPolicy,
                               @JsonIgnore NonRootPolicy.Requirement nonRoot,
                               @JsonIgnore VolumesFromSources.Requirement volumesFrom) {
    public DesiredContainer(ContainerSpec spec, boolean init, PullPolicy pullPolicy,
                            NonRootPolicy.Requirement nonRoot) {
        this(spec, init, pullPolicy, nonRoot, null);
    }
}
