package io.kpod.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Bad input gets one clear line, Podman's exit codes, and leaves nothing behind. */
class ErrorsE2ETest extends E2EBase {

    @Test
    void unknownImage() {
        KpodHarness.Result r = kpod.run("run", "--rm", "localhost/nope:1", "true");
        assertThat(r.code()).isEqualTo(125);
        assertThat(r.err()).startsWith("Error: ").contains("nope");
        assertThat(r.err().lines().count()).isEqualTo(1);
    }

    @Test
    void nameInUse() {
        kpod.ok("create", "--name", "taken", IMAGE, "true");
        KpodHarness.Result r = kpod.run("create", "--name", "taken", IMAGE, "true");
        assertThat(r.code()).isEqualTo(125);
        assertThat(r.err()).contains("\"taken\" is already in use");
        assertThat(kpod.ok("ps", "-aq").out().lines().count()).isEqualTo(1);
    }

    @Test
    void commandNotInImageIs127AndLeavesNoMount() {
        KpodHarness.Result r = kpod.run("run", "--name", "bad", IMAGE, "no-such-binary");
        assertThat(r.code()).isEqualTo(127);
        assertThat(r.err()).contains("no-such-binary").contains("not found");
        assertThat(kpod.mounts()).isEmpty();
        assertThat(KpodHarness.eventually(5, () -> kpod.conmons().isEmpty())).as("conmon gone").isTrue();
        assertThat(kpod.run("run", "--rm", IMAGE, "/etc/passwd").code()).isEqualTo(126);
        assertThat(KpodHarness.eventually(5, () -> kpod.run("ps", "-a", "--format", "{{.Names}}").out().equals("bad\n")))
                .as("--rm container removed after its failed start").isTrue();
    }

    @Test
    void badFlagValues() {
        assertThat(kpod.run("run", "--restart", "sometimes", IMAGE, "true").err()).contains("invalid restart policy");
        assertThat(kpod.run("run", "--memory", "lots", IMAGE, "true").err()).contains("invalid size");
        assertThat(kpod.run("run", "--ulimit", "nofile=abc", IMAGE, "true").err()).contains("invalid ulimit");
        assertThat(kpod.run("run", "--cap-add", "NOT_A_CAP", IMAGE, "true").err()).contains("unknown capability");
        assertThat(kpod.run("run", "--rm", "--restart", "always", IMAGE, "true").code()).isEqualTo(125);
        assertThat(kpod.run("run", "--no-such-flag", IMAGE, "true").code()).isEqualTo(125);
        assertThat(kpod.run("run", "--name", "../x", IMAGE, "true").err()).contains("invalid container name");
        assertThat(kpod.ok("ps", "-aq").trimmed()).isEmpty();
        assertThat(kpod.ok("volume", "ls", "-q").trimmed()).isEmpty();
    }

    @Test
    void missingObjects() {
        assertThat(kpod.run("rm", "ghost").code()).isEqualTo(1);
        assertThat(kpod.run("rm", "-i", "ghost").code()).isZero();
        assertThat(kpod.run("start", "ghost").err()).contains("no container with name or ID \"ghost\" found");
        assertThat(kpod.run("volume", "rm", "ghost").code()).isEqualTo(1);
        assertThat(kpod.run("exec", "ghost", "true").code()).isEqualTo(125);
        kpod.ok("create", "--name", "stopped", IMAGE, "true");
        assertThat(kpod.run("exec", "stopped", "true").err()).contains("container state improper");
    }
}
