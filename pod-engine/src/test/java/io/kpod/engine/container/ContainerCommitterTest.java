package io.kpod.engine.container;

import static org.assertj.core.api.Assertions.assertThat;

import io.kpod.engine.image.ConfigChanges;
import io.kpod.engine.image.ImageConfig;
import io.kpod.engine.state.ContainerRecord;
import io.kpod.spec.ContainerSpec;
import io.kpod.spec.NetworkSpec;
import io.kpod.spec.ProcessSpec;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The config a committed image gets: the image's, the container's settings on top, --change last. */
class ContainerCommitterTest {
    private static final ImageConfig IMAGE = new ImageConfig(List.of("PATH=/bin", "KEEP=image"), List.of("sh"),
            List.of("/entry"), "/", "", List.of("/data"), List.of("80/tcp"), Map.of("from", "image"), "SIGINT");

    private static ContainerRecord container(ProcessSpec process, List<String> args, Map<String, String> env) {
        ContainerSpec spec = new ContainerSpec("c", "img", process, null, null, null, null, null, null,
                Map.of("team", "core"), null, null, null, null, false, false, null, null, null,
                new NetworkSpec(List.of(), List.of(), List.of("127.0.0.1:8080:8080", "53/udp", "9000:9090/tcp"),
                        false, null, null));
        return new ContainerRecord("id", "c", spec, "imgid", "localhost/img:latest", args, env, "/srv", "nobody",
                "SIGTERM", 10, "2026-01-01T00:00:00Z", List.of(), List.of(), false);
    }

    @Test
    void containerSettingsGoOnTopOfTheImageAndEngineVariablesStayOut() {
        Map<String, String> env = new LinkedHashMap<>();
        env.put("PATH", "/bin");
        env.put("KEEP", "image");
        env.put("container", "kpod");
        env.put("HOSTNAME", "abc");
        env.put("FOO", "bar");
        ContainerRecord rec = container(new ProcessSpec(null, List.of("echo", "hi"), Map.of("FOO", "bar"), null, null,
                false, false), List.of("/entry", "echo", "hi"), env);
        ImageConfig c = ContainerCommitter.containerConfig(rec, IMAGE);
        assertThat(c.entrypoint()).containsExactly("/entry");
        assertThat(c.cmd()).containsExactly("echo", "hi");
        assertThat(c.env()).containsExactly("PATH=/bin", "KEEP=image", "FOO=bar");
        assertThat(c.workingDir()).isEqualTo("/srv");
        assertThat(c.user()).isEqualTo("nobody");
        assertThat(c.labels()).containsEntry("from", "image").containsEntry("team", "core");
        assertThat(c.exposedPorts()).containsExactly("80/tcp", "8080/tcp", "53/udp", "9090/tcp");
        assertThat(c.volumes()).containsExactly("/data");
        assertThat(c.stopSignal()).isEqualTo("SIGINT");

        ImageConfig changed = ConfigChanges.apply(c, List.of("CMD [\"cat\"]", "ENV FOO=baz"));
        assertThat(changed.cmd()).containsExactly("cat");
        assertThat(changed.env()).contains("FOO=baz").doesNotContain("FOO=bar");
    }

    @Test
    void anEntrypointGivenAtRunReplacesTheImagesAndItsCommand() {
        ContainerRecord rec = container(new ProcessSpec(List.of("sleep"), null, Map.of(), null, null, false, false),
                List.of("sleep"), Map.of("PATH", "/bin"));
        ImageConfig c = ContainerCommitter.containerConfig(rec, IMAGE);
        assertThat(c.entrypoint()).containsExactly("sleep");
        assertThat(c.cmd()).isEmpty();
    }
}
