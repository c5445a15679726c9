package io.kpod.engine.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kpod.spec.KpodException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SeccompProfilesTest {
    private static final Path INSTALLED = Path.of("/usr/share/containers/seccomp.json");
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path tmp;

    private static JsonNode installed() throws Exception {
        Assumptions.assumeTrue(Files.isRegularFile(INSTALLED), "containers-common seccomp.json not installed");
        return JSON.readTree(INSTALLED.toFile());
    }

    private static List<JsonNode> rulesFor(ObjectNode profile, String syscall) {
        List<JsonNode> out = new ArrayList<>();
        profile.get("syscalls").forEach(r -> r.get("names").forEach(n -> {
            if (n.asText().equals(syscall)) {
                out.add(r);
            }
        }));
        return out;
    }

    @Test
    void installedProfileGivesPodmansTwentyTwoRulesForTheDefaultCaps() throws Exception {
        ObjectNode oci = SeccompProfiles.convert(installed(), EngineConfig.DEFAULT_CAPABILITIES, "amd64", "6.18.0");

        assertThat(oci.get("defaultAction").asText()).isEqualTo("SCMP_ACT_ERRNO");
        assertThat(oci.get("defaultErrnoRet").asInt()).isEqualTo(38);
        assertThat(oci.has("archMap")).isFalse();
        assertThat(oci.has("defaultErrno")).isFalse();
        assertThat(oci.get("architectures")).extracting(JsonNode::asText)
                .containsExactly("SCMP_ARCH_X86_64", "SCMP_ARCH_X86", "SCMP_ARCH_X32");
        assertThat(oci.get("syscalls")).hasSize(22);
        oci.get("syscalls").forEach(r -> {
            assertThat(r.has("comment") || r.has("includes") || r.has("excludes")).isFalse();
            assertThat(r.fieldNames()).toIterable().isSubsetOf("names", "action", "args", "errnoRet");
        });
        // chroot: CAP_SYS_CHROOT is a default cap, so only the ALLOW rule stays
        assertThat(rulesFor(oci, "chroot")).singleElement().satisfies(r -> assertThat(r.get("action").asText()).isEqualTo("SCMP_ACT_ALLOW"));
        // bpf is gated on CAP_SYS_ADMIN: without it only the EPERM rule stays
        assertThat(rulesFor(oci, "bpf")).singleElement().satisfies(r -> {
            assertThat(r.get("action").asText()).isEqualTo("SCMP_ACT_ERRNO");
            assertThat(r.get("errnoRet").asInt()).isEqualTo(1);
        });
        assertThat(rulesFor(oci, "arch_prctl")).hasSize(1);
        assertThat(rulesFor(oci, "sync_file_range2")).isEmpty();
        assertThat(rulesFor(oci, "s390_runtime_instr")).isEmpty();
        // socket rules excluded on CAP_AUDIT_WRITE stay (4 with args); the unconditional ALLOW for it goes
        assertThat(rulesFor(oci, "socket")).hasSize(4).allSatisfy(r -> assertThat(r.has("args")).isTrue());
        assertThat(rulesFor(oci, "personality")).hasSize(5);
    }

    @Test
    void addingSysAdminSwapsItsGatedRules() throws Exception {
        List<String> caps = new ArrayList<>(EngineConfig.DEFAULT_CAPABILITIES);
        caps.add("SYS_ADMIN");
        ObjectNode oci = SeccompProfiles.convert(installed(), caps, "amd64", "6.18.0");

        assertThat(oci.get("syscalls")).hasSize(22);
        assertThat(rulesFor(oci, "bpf")).singleElement().satisfies(r -> assertThat(r.get("action").asText()).isEqualTo("SCMP_ACT_ALLOW"));
        assertThat(rulesFor(oci, "fanotify_init")).singleElement().satisfies(r -> assertThat(r.get("action").asText()).isEqualTo("SCMP_ACT_ALLOW"));
        assertThat(rulesFor(oci, "chroot")).hasSize(1);
    }

    @Test
    void hardeningRefusesNewNamespacesAndKeyringsWithoutSysAdmin() throws Exception {
        ObjectNode oci = SeccompProfiles.harden(SeccompProfiles.convert(installed(),
                EngineConfig.DEFAULT_CAPABILITIES, "amd64", "6.18.0"), EngineConfig.DEFAULT_CAPABILITIES, "amd64");
        for (String call : List.of("unshare", "keyctl", "add_key", "request_key")) {
            assertThat(rulesFor(oci, call)).as(call).singleElement().satisfies(r -> {
                assertThat(r.get("action").asText()).isEqualTo("SCMP_ACT_ERRNO");
                assertThat(r.get("errnoRet").asInt()).isEqualTo(1);
            });
        }
        assertThat(rulesFor(oci, "clone3")).singleElement().satisfies(r -> assertThat(r.get("errnoRet").asInt())
                .isEqualTo(38));
        assertThat(rulesFor(oci, "clone")).singleElement().satisfies(r -> {
            assertThat(r.get("action").asText()).isEqualTo("SCMP_ACT_ALLOW");
            assertThat(r.get("args").get(0).get("value").asLong()).isEqualTo(0x7E020000L);
            assertThat(r.get("args").get(0).get("op").asText()).isEqualTo("SCMP_CMP_MASKED_EQ");
        });
        assertThat(rulesFor(oci, "read")).singleElement().satisfies(r -> assertThat(r.get("action").asText())
                .isEqualTo("SCMP_ACT_ALLOW"));

        List<String> admin = new ArrayList<>(EngineConfig.DEFAULT_CAPABILITIES);
        admin.add("CAP_SYS_ADMIN");
        ObjectNode kept = SeccompProfiles.harden(SeccompProfiles.convert(installed(), admin, "amd64", "6.18.0"),
                admin, "amd64");
        assertThat(rulesFor(kept, "unshare")).singleElement().satisfies(r -> assertThat(r.get("action").asText())
                .isEqualTo("SCMP_ACT_ALLOW"));
    }

    @Test
    void otherArchitecturesPickTheirOwnArchMapEntry() throws Exception {
        ObjectNode oci = SeccompProfiles.convert(installed(), EngineConfig.DEFAULT_CAPABILITIES, "arm64", "6.18.0");
        assertThat(oci.get("architectures")).extracting(JsonNode::asText).containsExactly("SCMP_ARCH_AARCH64", "SCMP_ARCH_ARM");
        assertThat(rulesFor(oci, "arch_prctl")).isEmpty();
        assertThat(rulesFor(oci, "breakpoint")).hasSize(1);
    }

    @Test
    void ociFormatAndConditionsOnKernelAndNameAreHonoured() throws Exception {
        String profile = "{\"defaultAction\":\"SCMP_ACT_ALLOW\",\"architectures\":[\"SCMP_ARCH_X86_64\"],\"flags\":[\"SECCOMP_FILTER_FLAG_LOG\"],"
                + "\"syscalls\":["
                + "{\"name\":\"mount\",\"action\":\"SCMP_ACT_ERRNO\"},"
                + "{\"names\":[\"clone3\"],\"action\":\"SCMP_ACT_ERRNO\",\"errnoRet\":38,\"includes\":{\"minKernel\":\"5.3\"}},"
                + "{\"names\":[\"future\"],\"action\":\"SCMP_ACT_ERRNO\",\"includes\":{\"minKernel\":\"99.0\"}},"
                + "{\"names\":[\"old\"],\"action\":\"SCMP_ACT_ERRNO\",\"excludes\":{\"minKernel\":\"4.0\"}}]}";
        Path f = tmp.resolve("oci.json");
        Files.writeString(f, profile);
        ObjectNode oci = SeccompProfiles.load(f, List.of());
        assertThat(oci.get("architectures")).extracting(JsonNode::asText).containsExactly("SCMP_ARCH_X86_64");
        assertThat(oci.get("flags").get(0).asText()).isEqualTo("SECCOMP_FILTER_FLAG_LOG");
        assertThat(oci.get("syscalls")).extracting(r -> r.get("names").get(0).asText()).containsExactly("mount", "clone3");
        assertThat(oci.get("syscalls").get(1).get("errnoRet").asInt()).isEqualTo(38);
    }

    @Test
    void resolveFollowsPodmansChoices() throws Exception {
        assertThat(SeccompProfiles.resolve("unconfined", null, List.of())).isEmpty();
        assertThat(SeccompProfiles.resolve(null, "unconfined", List.of())).isEmpty();
        Path f = tmp.resolve("p.json");
        Files.writeString(f, "{\"defaultAction\":\"SCMP_ACT_ERRNO\",\"syscalls\":[{\"names\":[\"read\"],\"action\":\"SCMP_ACT_ALLOW\"}]}");
        Optional<ObjectNode> given = SeccompProfiles.resolve(f.toString(), "unconfined", List.of());
        assertThat(given).get().satisfies(p -> assertThat(p.get("syscalls")).hasSize(1));
        assertThatThrownBy(() -> SeccompProfiles.resolve(tmp.resolve("missing.json").toString(), null, List.of()))
                .isInstanceOf(KpodException.class).hasMessageContaining("does not exist");
        Files.writeString(f, "{not json");
        assertThatThrownBy(() -> SeccompProfiles.load(f, List.of())).hasMessageContaining("not valid JSON");
        Files.writeString(f, "{\"syscalls\":[]}");
        assertThatThrownBy(() -> SeccompProfiles.load(f, List.of())).hasMessageContaining("defaultAction");
    }

    @Test
    void defaultSearchPrefersTheEtcOverride() throws Exception {
        Path etc = tmp.resolve("etc.json");
        Path usr = tmp.resolve("usr.json");
        assertThat(SeccompProfiles.defaultProfilePath(List.of(etc, usr))).isEmpty();
        Files.writeString(usr, "{}");
        assertThat(SeccompProfiles.defaultProfilePath(List.of(etc, usr))).contains(usr);
        Files.writeString(etc, "{}");
        assertThat(SeccompProfiles.defaultProfilePath(List.of(etc, usr))).contains(etc);
        assertThat(SeccompProfiles.SEARCH_PATHS.get(0)).isEqualTo(Path.of("/etc/containers/seccomp.json"));
    }

    @Test
    void nativeArchAndCapNames() {
        assertThat(SeccompProfiles.nativeGoArch()).isIn("amd64", "arm64");
        assertThat(SeccompProfiles.normalizeCap("sys_admin")).isEqualTo("CAP_SYS_ADMIN");
        assertThat(SeccompProfiles.normalizeCap("CAP_KILL")).isEqualTo("CAP_KILL");
    }
}
