package io.kpod.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** What a process inside may and may not do, and resource limits it can read back. */
class SecurityAndResourcesE2ETest extends E2EBase {

    private String capEff(String... runArgs) {
        String[] args = new String[runArgs.length + 5];
        args[0] = "run";
        args[1] = "--rm";
        System.arraycopy(runArgs, 0, args, 2, runArgs.length);
        args[runArgs.length + 2] = IMAGE;
        args[runArgs.length + 3] = "grep";
        args[runArgs.length + 4] = "CapEff";
        String[] full = java.util.Arrays.copyOf(args, args.length + 1);
        full[args.length] = "/proc/self/status";
        return kpod.ok(full).trimmed();
    }

    @Test
    void defaultCapabilitiesAreImmanentsDefaultSet() {
        assertThat(capEff()).isEqualTo("CapEff:\t00000000800405fb");
    }

    @Test
    void droppedCapabilityIsReallyMissing() {
        assertThat(capEff("--cap-drop", "chown")).isEqualTo("CapEff:\t00000000800405fa");
        KpodHarness.Result r = kpod.run("run", "--rm", "--cap-drop", "CAP_CHOWN", IMAGE, "chown", "nobody", "/tmp");
        assertThat(r.code()).isNotZero();
        assertThat(r.err()).contains("Operation not permitted");
        assertThat(kpod.run("run", "--rm", IMAGE, "chown", "nobody", "/tmp").code()).isZero();
    }

    @Test
    void addedCapabilityAndPrivileged() {
        assertThat(capEff("--cap-add", "NET_RAW")).isEqualTo("CapEff:\t00000000800425fb");
        assertThat(capEff("--privileged")).isNotEqualTo("CapEff:\t00000000800405fb");
        assertThat(kpod.run("run", "--rm", IMAGE, "mount", "-t", "tmpfs", "t", "/tmp").code()).isNotZero();
        assertThat(kpod.run("run", "--rm", "--privileged", IMAGE, "mount", "-t", "tmpfs", "t", "/tmp").code()).isZero();
    }

    @Test
    void readOnlyRootfs() {
        KpodHarness.Result r = kpod.run("run", "--rm", "--read-only", IMAGE, "touch", "/file");
        assertThat(r.code()).isNotZero();
        assertThat(r.err()).contains("Read-only file system");
        assertThat(kpod.run("run", "--rm", "--read-only", "--tmpfs", "/scratch", IMAGE, "touch", "/scratch/f").code())
                .isZero();
        assertThat(kpod.run("run", "--rm", IMAGE, "touch", "/file").code()).isZero();
    }

    @Test
    void maskedPathsSeccompAndNoNewPrivs() {
        String status = kpod.ok("run", "--rm", "--security-opt", "no-new-privileges", IMAGE, "cat",
                "/proc/self/status").out();
        assertThat(status).contains("Seccomp:\t2").contains("NoNewPrivs:\t1");
        assertThat(kpod.ok("run", "--rm", IMAGE, "cat", "/proc/self/status").out()).contains("NoNewPrivs:\t0");
        assertThat(kpod.ok("run", "--rm", "--security-opt", "seccomp=unconfined", IMAGE, "cat", "/proc/self/status")
                .out()).contains("Seccomp:\t0");
        assertThat(kpod.ok("run", "--rm", IMAGE, "sh", "-c", "wc -c < /proc/keys").trimmed()).isEqualTo("0");
        assertThat(kpod.run("run", "--rm", IMAGE, "sh", "-c", "echo 1 > /proc/sys/kernel/domainname").code()).isNotZero();
        assertThat(kpod.run("run", "--rm", IMAGE, "touch", "/sys/kernel/x").code()).isNotZero();
    }

    @Test
    void memoryCpuPidsAndUlimits() {
        String out = kpod.ok("run", "--rm", "--memory", "64m", "--pids-limit", "100", "--ulimit", "nofile=1000:2000",
                "--cpus", "0.5", "--cpuset-cpus", "1", "--cpuset-mems", "0", IMAGE, "sh", "-c",
                "cat /sys/fs/cgroup/memory/memory.limit_in_bytes /sys/fs/cgroup/pids/pids.max "
                        + "/sys/fs/cgroup/cpu/cpu.cfs_quota_us; ulimit -n; ulimit -Hn; "
                        + "grep -E '^(Cpus|Mems)_allowed_list' /proc/self/status").out();
        assertThat(out).isEqualTo("67108864\n100\n50000\n1000\n2000\nCpus_allowed_list:\t1\nMems_allowed_list:\t0\n");
        KpodHarness.Result backwards = kpod.run("create", "--cpuset-cpus", "3-1", IMAGE, "true");
        assertThat(backwards.code()).isEqualTo(125);
        assertThat(backwards.err()).contains("--cpuset-cpus").contains("3-1");
        String dflt = kpod.ok("run", "--rm", IMAGE, "cat", "/sys/fs/cgroup/pids/pids.max").trimmed();
        assertThat(dflt).isEqualTo("2048");
    }

    @Test
    void userHostnameEnvWorkdirAndSysctl() {
        String out = kpod.ok("run", "--rm", "-u", "65534:65534", "--hostname", "myhost", "-e", "A=1",
                "-w", "/made/here", "--sysctl", "net.ipv4.ip_forward=1", IMAGE, "sh", "-c",
                "id -u; id -g; hostname; cat /etc/hostname; echo $A $HOSTNAME; pwd; cat /proc/sys/net/ipv4/ip_forward")
                .out();
        assertThat(out).isEqualTo("65534\n65534\nmyhost\nmyhost\n1 myhost\n/made/here\n1\n");
    }

    @Test
    void hostNetworkSeesHostInterfacesAndNoneOnlyLoopback() {
        String none = kpod.ok("run", "--rm", "--network", "none", IMAGE, "ls", "/sys/class/net").out();
        assertThat(none.strip()).isEqualTo("lo");
        String host = kpod.ok("run", "--rm", "--network", "host", IMAGE, "ls", "/sys/class/net").out();
        assertThat(host.lines().count()).isGreaterThan(1);
    }
}
