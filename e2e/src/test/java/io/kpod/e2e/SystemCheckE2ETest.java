package io.kpod.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** {@code system check [--repair]} finds and removes what killed processes leave behind. */
class SystemCheckE2ETest extends E2EBase {
    private static final String SUBNET = "10.253.7.0/24";

    private static void kill9(String pid) throws Exception {
        new ProcessBuilder("kill", "-9", pid).inheritIO().start().waitFor();
    }

    @Test
    void killedConmonAndContainerLeaveMountsThatRepairRemoves() throws Exception {
        kpod.ok("network", "create", "--subnet", SUBNET, "checknet");
        kpod.ok("run", "-d", "--name", "victim", "--network", "checknet", "-p", "127.0.0.1::8080", IMAGE,
                "sleep", "1d");
        String conmon = kpod.ok("inspect", "--format", "{{.State.ConmonPid}}", "victim").trimmed();
        String pid = kpod.ok("inspect", "--format", "{{.State.Pid}}", "victim").trimmed();
        kill9(conmon);
        kill9(pid);
        assertThat(KpodHarness.eventually(10, () -> kpod.ok("inspect", "--format", "{{.State.Status}}", "victim")
                .trimmed().equals("exited"))).as("ps tells the truth after the kill").isTrue();

        KpodHarness.Result found = kpod.run("system", "check");
        assertThat(found.code()).isEqualTo(1);
        assertThat(found.out()).contains("mount victim: rootfs still mounted")
                .contains("netns victim: network namespace still pinned");

        KpodHarness.Result repaired = kpod.run("system", "check", "--repair");
        assertThat(repaired.code()).as(repaired.out()).isZero();
        assertThat(repaired.out()).contains("(repaired)");
        assertThat(kpod.ok("system", "check").out()).isEqualTo("No problems found\n");
        assertThat(kpod.mounts()).isEmpty();
        // the container still starts again and is removable
        kpod.ok("start", "victim");
        kpod.ok("rm", "-f", "-t", "0", "victim");

        // an address held for a container that no longer exists (a kpod killed between the two)
        Path ipam = kpod.root().resolve("networks/ipam/checknet.json");
        var mapper = new com.fasterxml.jackson.databind.ObjectMapper();
        var state = (com.fasterxml.jackson.databind.node.ObjectNode) mapper.readTree(ipam.toFile());
        String ghost = "cd".repeat(32);
        state.with("allocations").putArray(ghost).add("10.253.7.200");
        Files.writeString(ipam, mapper.writeValueAsString(state));
        KpodHarness.Result held = kpod.run("system", "check");
        assertThat(held.code()).isEqualTo(1);
        assertThat(held.out()).contains("10.253.7.200").contains("held for " + ghost);
        kpod.ok("system", "check", "--repair");
        assertThat(Files.readString(ipam)).doesNotContain(ghost).doesNotContain("10.253.7.200");
        assertThat(kpod.ok("system", "check").out()).isEqualTo("No problems found\n");
        kpod.ok("network", "rm", "checknet");
    }

    @Test
    void filesOfAContainerWithoutARowAreFoundAndRemoved() throws Exception {
        Path orphan = kpod.root().resolve("containers").resolve("ab".repeat(32));
        Files.createDirectories(orphan.resolve("userdata"));
        Files.setLastModifiedTime(orphan, FileTime.from(Instant.now().minusSeconds(3600)));
        KpodHarness.Result found = kpod.run("system", "check");
        assertThat(found.code()).isEqualTo(1);
        assertThat(found.out()).contains("container " + "ab".repeat(32) + ": container files without a container");
        kpod.ok("system", "check", "--repair");
        assertThat(orphan).doesNotExist();

        // a young leftover may belong to a command still at work: only --force touches it
        Files.createDirectories(orphan);
        assertThat(kpod.ok("system", "check").out()).isEqualTo("No problems found\n");
        assertThat(kpod.run("system", "check", "--force").out()).contains("container files without a container");
        kpod.ok("system", "check", "--repair", "--force");
        assertThat(orphan).doesNotExist();
    }
}
