package io.kpod.kube.play;

import io.kpod.kube.yaml.ParsedDocument;
import java.util.List;
import java.util.function.Predicate;

/**
 * {@code io.podman.annotations.volumes-from/<container>} names containers outside the pod
 * (created beforehand, e.g. with {@code kpod create -v}); they must exist before anything is
 * created, so a play that names a missing one leaves nothing behind.
 */
final class VolumesFromSources {
    /** Where a container's annotation is, and the containers outside its pod that it names. */
    record Requirement(ParsedDocument doc, String field, List<String> containers) {
        Requirement {
            containers = List.copyOf(containers);
        }
    }

    private VolumesFromSources() {
    }

    /** Throws the manifest error for the first named container that does not exist. */
    static void check(List<DesiredPod> desired, Predicate<String> containerExists) {
        for (DesiredPod d : desired) {
            for (DesiredContainer c : d.containers()) {
                Requirement r = c.volumesFrom();
                if (r == null) {
                    continue;
                }
                for (String source : r.containers()) {
                    if (!containerExists.test(source)) {
                        throw Manifest.error(r.doc(), r.field(), "no container with name or ID \"" + source
                                + "\" found to take volumes from: create it first, or name a container of the"
                                + " pod declared before " + c.spec().name());
                    }
                }
            }
        }
    }
}
