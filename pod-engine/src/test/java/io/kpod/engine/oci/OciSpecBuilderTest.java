package io.kpod.engine.oci;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kpod.engine.Json;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class OciSpecBuilderTest {
    private static OciSpecBuilder.Input input(boolean privileged, List<OciSpecBuilder.Namespace> ns) {
        return new OciSpecBuilder.Input(List.of("sh", "-c", "true"), List.of("PATH=/bin"), "/",
                new OciSpecBuilder.User(0, 0, List.of(10), 022), false, "/rootfs", true, "box",
                Capabilities.DEFAULT, true, privileged, Json.MAPPER.createObjectNode().put("defaultAction", "SCMP_ACT_ERRNO"),
                List.of("/proc/extra"), List.of("/proc/keys"), List.of(new OciSpecBuilder.Rlimit("RLIMIT_NOFILE", 1024, 2048)),
                Map.of("net.ipv4.ip_forward", "1"), 64L << 20, 50_000L, 100_000L, 512L, "0-1,3", "0", 2048L, "/kpod/abc", ns,
                List.of(OciMount.bind("/host", "/data", true)), 65536 * 1024L, Map.of("k", "v"));
    }

    @Test
    void hasPodmansDefaults() {
        ObjectNode c = OciSpecBuilder.build(input(false, List.of(new OciSpecBuilder.Namespace("uts", null),
                new OciSpecBuilder.Namespace("network", "/run/netns/x"))));
        assertThat(c.at("/process/args").toString()).isEqualTo("[\"sh\",\"-c\",\"true\"]");
        assertThat(c.at("/process/capabilities/bounding")).hasSize(11);
        assertThat(c.at("/process/noNewPrivileges").asBoolean()).isTrue();
        assertThat(c.at("/process/user/additionalGids/0").asInt()).isEqualTo(10);
        assertThat(c.at("/process/rlimits/0/hard").asLong()).isEqualTo(2048);
        assertThat(c.at("/root/readonly").asBoolean()).isTrue();
        assertThat(c.at("/hostname").asText()).isEqualTo("box");
        assertThat(c.at("/linux/resources/memory/limit").asLong()).isEqualTo(64L << 20);
        assertThat(c.at("/linux/resources/cpu/quota").asLong()).isEqualTo(50_000);
        assertThat(c.at("/linux/resources/cpu/shares").asLong()).isEqualTo(512);
        assertThat(c.at("/linux/resources/cpu/cpus").asText()).isEqualTo("0-1,3");
        assertThat(c.at("/linux/resources/cpu/mems").asText()).isEqualTo("0");
        assertThat(c.at("/linux/resources/pids/limit").asLong()).isEqualTo(2048);
        assertThat(c.at("/linux/resources/devices/0/allow").asBoolean()).isFalse();
        assertThat(c.at("/linux/cgroupsPath").asText()).isEqualTo("/kpod/abc");
        assertThat(c.at("/linux/sysctl/net.ipv4.ip_forward").asText()).isEqualTo("1");
        assertThat(c.at("/linux/namespaces/1/path").asText()).isEqualTo("/run/netns/x");
        assertThat(c.at("/linux/seccomp/defaultAction").asText()).isEqualTo("SCMP_ACT_ERRNO");
        List<String> masked = texts(c.at("/linux/maskedPaths"));
        assertThat(masked).as("Podman's list, less what was unmasked, plus what was masked").containsExactlyInAnyOrder(
                "/proc/acpi", "/proc/kcore", "/proc/latency_stats", "/proc/sched_debug", "/proc/scsi",
                "/proc/timer_list", "/proc/timer_stats", "/sys/dev/block", "/sys/devices/virtual/powercap",
                "/sys/firmware", "/sys/fs/selinux", "/proc/extra");
        assertThat(texts(c.at("/linux/readonlyPaths"))).contains("/proc/sys", "/proc/sysrq-trigger");
        List<String> dests = c.get("mounts").findValuesAsText("destination");
        assertThat(dests).containsSequence("/proc", "/dev", "/sys", "/dev/pts", "/dev/mqueue", "/dev/shm",
                "/sys/fs/cgroup", "/data");
        assertThat(c.at("/mounts/2/options").toString()).contains("\"ro\"");
        assertThat(c.at("/annotations/k").asText()).isEqualTo("v");
    }

    @Test
    void noHostnameWhenJoiningAUtsNamespace() {
        ObjectNode c = OciSpecBuilder.build(input(false, List.of(new OciSpecBuilder.Namespace("uts", "/proc/1/ns/uts"))));
        assertThat(c.has("hostname")).isFalse();
    }

    @Test
    void privilegedDropsConfinement() {
        ObjectNode c = OciSpecBuilder.build(input(true, List.of()));
        assertThat(c.at("/linux/seccomp").isMissingNode()).isTrue();
        assertThat(c.at("/linux/maskedPaths").isMissingNode()).isTrue();
        assertThat(c.at("/linux/resources/devices/0/allow").asBoolean()).isTrue();
        assertThat(c.at("/mounts/2/options").toString()).contains("\"rw\"");
    }

    @Test
    void capabilityArithmetic() {
        assertThat(Capabilities.effective(Capabilities.DEFAULT, List.of("net_raw"), List.of("CHOWN"), false))
                .contains("CAP_NET_RAW").doesNotContain("CAP_CHOWN").hasSize(11);
        assertThat(Capabilities.effective(Capabilities.DEFAULT, List.of("kill"), List.of("all"), false))
                .containsExactly("CAP_KILL");
        assertThat(Capabilities.effective(Capabilities.DEFAULT, List.of("ALL"), List.of(), false))
                .containsAll(Capabilities.DEFAULT).isSubsetOf(Capabilities.ALL);
        assertThat(Capabilities.effective(Capabilities.DEFAULT, List.of(), List.of(), true))
                .isEqualTo(Capabilities.allAvailable()).contains("CAP_SYS_ADMIN");
        assertThatThrownBy(() -> Capabilities.normalize("bogus")).hasMessageContaining("unknown capability");
    }

    private static List<String> texts(JsonNode arr) {
        List<String> out = new java.util.ArrayList<>();
        arr.forEach(n -> out.add(n.asText()));
        return out;
    }
}
