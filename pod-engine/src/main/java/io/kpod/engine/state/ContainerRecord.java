package io.kpod.engine.state;

import io.kpod.spec.ContainerSpec;
import java.util.List;
import java.util.Map;

/**
 * A container as kpod stores it: what the user asked for ({@link #spec}) resolved against the
 * image (final argv, env, workdir, user), plus where its storage is. Immutable after create.
 *
 * @param created RFC 3339 time with nanoseconds
 * @param mounts the user's mounts with every volume named (anonymous ones included)
 * @param anonymousVolumes names of volumes created for image VOLUMEs, removed with {@code rm -v}/{@code --rm}
 */
public record ContainerRecord(
        String id,
        String name,
        ContainerSpec spec,
        String imageId,
        String imageName,
        List<String> args,
        Map<String, String> env,
        String workingDir,
        String user,
        String stopSignal,
        int stopTimeout,
        String created,
        List<io.kpod.spec.VolumeMount> mounts,
        List<String> anonymousVolumes,
        boolean infra) {

    public ContainerRecord {
        args = List.copyOf(args);
        env = Map.copyOf(env);
        mounts = mounts == null ? List.of() : List.copyOf(mounts);
        anonymousVolumes = anonymousVolumes == null ? List.of() : List.copyOf(anonymousVolumes);
    }

    /** The same container with another spec (after {@code network connect} or {@code disconnect}). */
    public ContainerRecord withSpec(ContainerSpec newSpec) {
        return new ContainerRecord(id, name, newSpec, imageId, imageName, args, env, workingDir, user, stopSignal,
                stopTimeout, created, mounts, anonymousVolumes, infra);
    }

    public String shortId() {
        return id.substring(0, 12);
    }

    public String podId() {
        return spec.podId();
    }
}
