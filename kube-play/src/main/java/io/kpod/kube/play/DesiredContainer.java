package io.kpod.kube.play;

import com.fasterxml.jackson.annotation.JsonIgnore;
import io.kpod.engine.image.PullPolicy;
import io.kpod.spec.ContainerSpec;

/**
 * One container of a desired pod, init containers first in their order.
 *
 * @param nonRoot set when runAsNonRoot leaves the user to the image, checked once the image is
 *                present; not part of the pod's hash, since it changes what may run, not what runs
 */
public record DesiredContainer(ContainerSpec spec, boolean init, PullPolicy pullPolicy,
                               @JsonIgnore NonRootPolicy.Requirement nonRoot) {
}
