package io.kpod.engine.image;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kpod.spec.KpodException;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ConfigChangesTest {
    private static ImageConfig apply(String... changes) {
        return ConfigChanges.apply(ImageConfig.EMPTY, List.of(changes));
    }

    @Test
    void cmdAndEntrypointTakeExecOrShellForm() {
        assertThat(apply("CMD [\"sh\",\"-c\",\"echo hi\"]").cmd()).containsExactly("sh", "-c", "echo hi");
        assertThat(apply("CMD=echo $HOME").cmd()).containsExactly("/bin/sh", "-c", "echo $HOME");
        assertThat(apply("ENTRYPOINT [\"/bin/busybox\"]").entrypoint()).containsExactly("/bin/busybox");
        assertThat(apply("entrypoint=top -b").entrypoint()).containsExactly("/bin/sh", "-c", "top -b");
        assertThat(apply("CMD [not json").cmd()).containsExactly("/bin/sh", "-c", "[not json");
        assertThat(apply("CMD=[\"a\"]", "CMD []").cmd()).isEmpty();
    }

    @Test
    void envLabelExposeVolumeWorkdirUserStopsignal() {
        ImageConfig c = apply("ENV A=1 B=\"two words\"", "ENV=C=3", "ENV D legacy value", "ENV A=override",
                "LABEL org.x=y \"quoted key\"=v", "LABEL=k=v", "EXPOSE 80 53/udp 8000-8002", "VOLUME [\"/data\"]",
                "VOLUME /a /b", "WORKDIR /srv", "WORKDIR app", "USER 1000:1000", "STOPSIGNAL SIGINT");
        assertThat(c.env()).containsExactly("B=two words", "C=3", "D=legacy value", "A=override");
        assertThat(c.labels()).isEqualTo(Map.of("org.x", "y", "quoted key", "v", "k", "v"));
        assertThat(c.exposedPorts()).containsExactly("80/tcp", "53/udp", "8000/tcp", "8001/tcp", "8002/tcp");
        assertThat(c.volumes()).containsExactly("/data", "/a", "/b");
        assertThat(c.workingDir()).isEqualTo("/srv/app");
        assertThat(c.user()).isEqualTo("1000:1000");
        assertThat(c.stopSignal()).isEqualTo("SIGINT");
        assertThat(ImageConfig.fromJson(c.toJson())).isEqualTo(c);
    }

    @Test
    void badChangesAreRejected() {
        for (String bad : List.of("FROM busybox", "RUN echo", "EXPOSE http", "EXPOSE 70000", "VOLUME data",
                "ENV", "ENV =x", "LABEL novalue", "STOPSIGNAL sig-bad!", "ENV A=\"unterminated", "CMD")) {
            assertThatThrownBy(() -> apply(bad)).as(bad).isInstanceOf(KpodException.class)
                    .hasMessageStartingWith("invalid --change \"" + bad + "\"");
        }
    }
}
