package io.kpod.spec;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class NetworkSpecTest {
    @Test
    void connectAppendsTheNetworkWithItsOwnSettings() {
        NetworkSpec s = new NetworkSpec(List.of(), List.of("a"), List.of("8080"), false, null, null);
        NetworkSpec c = s.connected(List.of("kpod"), "back", new NetworkAttachment(List.of("db"), "10.0.0.5", null, null));
        assertThat(c.networks()).containsExactly("kpod", "back");
        assertThat(c.attachment("back").aliases()).containsExactly("db");
        assertThat(c.attachment("back").ip()).isEqualTo("10.0.0.5");
        assertThat(c.attachment("kpod")).isEqualTo(NetworkAttachment.none());
        assertThat(c.publish()).containsExactly("8080");
        assertThat(c.aliases()).containsExactly("a");
    }

    @Test
    void runsStaticIpAndMacStayWithTheFirstNetworkOnConnect() {
        NetworkSpec s = new NetworkSpec(List.of("front"), List.of(), List.of(), false, "10.1.0.9", "02:00:00:00:00:01");
        NetworkSpec c = s.connected(List.of("front"), "back", NetworkAttachment.none());
        assertThat(c.ip()).isNull();
        assertThat(c.mac()).isNull();
        assertThat(c.attachment("front").ip()).isEqualTo("10.1.0.9");
        assertThat(c.attachment("front").mac()).isEqualTo("02:00:00:00:00:01");
        assertThat(c.attachment("back").ip()).isNull();
    }

    @Test
    void disconnectDropsTheNetworkAndItsSettings() {
        NetworkSpec c = NetworkSpec.defaults().connected(List.of("kpod"), "back",
                new NetworkAttachment(List.of("x"), null, null, null));
        NetworkSpec d = c.disconnected(c.networks(), "back");
        assertThat(d.networks()).containsExactly("kpod");
        assertThat(d.attachments()).isEmpty();
    }
}
