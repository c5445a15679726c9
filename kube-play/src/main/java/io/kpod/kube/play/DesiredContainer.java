package io.kpod.kube.play;

import io.kpod.engine.image.PullPolicy;
import io.kpod.spec.ContainerSpec;

/** One container of a desired pod, init containers first in their order. */
public record DesiredContainer(ContainerSpec spec, boolean init, PullPolicy pullPolicy) {
}
