package io.kpod.engine;

import com.fasterxml.jackson.databind.JsonNode;
import io.kpod.spec.ResourceSpec;
import java.util.List;
import java.util.Map;

/**
 * The engine's configuration once containers.conf, flags and host detection are merged: the
 * runtime binaries it uses and the defaults a container gets.
 *
 * @param selfCommand argv prefix that runs this same kpod with the same global flags; conmon
 *                    calls {@code selfCommand + container cleanup ID} when a container exits
 */
public record EngineSettings(
        String ociRuntimePath,
        String conmonPath,
        String catatonitPath,
        List<String> defaultCapabilities,
        long pidsLimit,
        int stopTimeout,
        long shmSizeBytes,
        String logDriver,
        List<ResourceSpec.Ulimit> defaultUlimits,
        Map<String, String> defaultSysctls,
        Map<String, String> defaultEnv,
        SeccompPolicy seccomp,
        List<String> selfCommand) {

    /** Produces the seccomp filter for a container from its capabilities and {@code --security-opt seccomp=…}. */
    @FunctionalInterface
    public interface SeccompPolicy {
        /** Returns null for no filter ("unconfined" or no default profile on the host). */
        JsonNode forContainer(List<String> capabilities, String profileOption);
    }
}
