package io.kpod.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kpod.spec.ContainerSpec;
import io.kpod.spec.RestartPolicy;
import io.kpod.spec.SecretMount;
import io.kpod.spec.VolumeMount;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class FlagParsingTest {
    private static ContainerSpec spec(String... args) {
        ContainerFlags f = new ContainerFlags();
        List<String> rest = new CommandLine(new Holder(f)).parseArgs(args).unmatched();
        return f.toSpec(rest.isEmpty() ? "img" : rest.get(0), rest.size() > 1 ? rest.subList(1, rest.size()) : List.of());
    }

    @CommandLine.Command(name = "t")
    static final class Holder {
        @CommandLine.Mixin
        ContainerFlags flags;

        @CommandLine.Unmatched
        List<String> rest;

        Holder(ContainerFlags f) {
            this.flags = f;
        }
    }

    @Test
    void runFlagsBecomeASpec() {
        ContainerSpec s = spec("--name", "web", "-e", "A=1", "-e", "B=x=y", "--entrypoint", "[\"sh\",\"-c\"]",
                "-w", "/srv", "-u", "1000:1000", "--cap-add", "net_raw,sys_time", "--cap-drop", "ALL",
                "--read-only", "--security-opt", "no-new-privileges", "--ulimit", "nofile=100:200",
                "--sysctl", "net.ipv4.ip_forward=1", "--label", "a=b", "--restart", "on-failure:3",
                "--memory", "64m", "--cpus", "1.5", "--pids-limit", "50", "--stop-signal", "USR1",
                "--stop-timeout", "3", "--health-cmd", "true", "--health-interval", "1m30s", "--init",
                "img", "echo", "hi");
        assertThat(s.name()).isEqualTo("web");
        assertThat(s.process().env()).containsEntry("A", "1").containsEntry("B", "x=y");
        assertThat(s.process().entrypoint()).containsExactly("sh", "-c");
        assertThat(s.process().command()).containsExactly("echo", "hi");
        assertThat(s.process().workingDir()).isEqualTo("/srv");
        assertThat(s.security().capAdd()).containsExactly("net_raw", "sys_time");
        assertThat(s.security().readOnlyRootfs()).isTrue();
        assertThat(s.security().noNewPrivileges()).isTrue();
        assertThat(s.resources().ulimits().get(0).hard()).isEqualTo(200);
        assertThat(s.resources().memoryBytes()).isEqualTo(64L << 20);
        assertThat(s.resources().cpuQuota()).isEqualTo(150_000L);
        assertThat(s.restartPolicy()).isEqualTo(RestartPolicy.parse("on-failure:3"));
        assertThat(s.healthCheck().interval()).isEqualTo(Duration.ofSeconds(90));
        assertThat(s.healthCheck().test()).containsExactly("CMD-SHELL", "true");
        assertThat(s.init()).isTrue();
    }

    @Test
    void volumeSyntaxes() {
        assertThat(MountParser.volume("/data")).isEqualTo(new VolumeMount(VolumeMount.Type.VOLUME, null, "/data", List.of()));
        assertThat(MountParser.volume("vol:/data:ro")).isEqualTo(new VolumeMount(VolumeMount.Type.VOLUME, "vol", "/data", List.of("ro")));
        assertThat(MountParser.volume("/host:/data").type()).isEqualTo(VolumeMount.Type.BIND);
        assertThat(MountParser.mount("type=bind,source=/a,target=/b,readonly").readOnly()).isTrue();
        assertThat(MountParser.mount("type=tmpfs,destination=/t,tmpfs-size=1m").options()).containsExactly("size=1m");
        assertThat(MountParser.tmpfs("/t:size=1m,mode=1777").options()).containsExactly("size=1m", "mode=1777");
        assertThatThrownBy(() -> MountParser.volume("a:b:c:d")).hasMessageContaining("invalid volume");
        assertThatThrownBy(() -> MountParser.volume("/a:/b:bogus")).hasMessageContaining("invalid volume option");
        assertThatThrownBy(() -> MountParser.mount("source=/a,target=/b")).hasMessageContaining("type is required");
        assertThatThrownBy(() -> MountParser.volume("v:rel")).hasMessageContaining("absolute path");
    }

    @Test
    void imageMountsAreReadOnlyUnlessRwIsTrue() {
        assertThat(MountParser.mount("type=image,source=busybox,destination=/img"))
                .isEqualTo(new VolumeMount(VolumeMount.Type.IMAGE, "busybox", "/img", List.of("ro")));
        VolumeMount ro = MountParser.mount("type=image,src=busybox,dst=/img");
        assertThat(ro.readOnly()).isTrue();
        assertThat(MountParser.mount("type=image,source=busybox,target=/img,rw=true").readOnly()).isFalse();
        assertThat(MountParser.mount("type=image,source=busybox,target=/img,rw").readOnly()).isFalse();
        assertThat(MountParser.mount("type=image,source=busybox,target=/img,readwrite=true").readOnly()).isFalse();
        assertThat(MountParser.mount("type=image,source=busybox,target=/img,rw=false").readOnly()).isTrue();
        assertThat(MountParser.mount("type=image,source=busybox,target=/img,rw=true,rw=false").readOnly()).isTrue();
        assertThat(spec("--mount", "type=image,source=localhost/x:1,destination=/x", "img").mounts())
                .containsExactly(new VolumeMount(VolumeMount.Type.IMAGE, "localhost/x:1", "/x", List.of("ro")));
    }

    @Test
    void imageMountErrors() {
        assertThatThrownBy(() -> MountParser.mount("type=image,source=busybox"))
                .hasMessageContaining("target is required");
        assertThatThrownBy(() -> MountParser.mount("type=image,destination=/img"))
                .hasMessageContaining("an image mount needs a source");
        assertThatThrownBy(() -> MountParser.mount("type=image,source=busybox,destination=/img,tmpfs-size=1m"))
                .hasMessageContaining("invalid --mount option \"tmpfs-size=1m\" for type=image");
        assertThatThrownBy(() -> MountParser.mount("type=image,source=busybox,destination=/img,ro"))
                .hasMessageContaining("for type=image");
        assertThatThrownBy(() -> MountParser.mount("type=image,source=busybox,destination=/img,bogus=1"))
                .hasMessageContaining("invalid --mount option \"bogus=1\"");
        assertThatThrownBy(() -> MountParser.mount("type=image,source=busybox,destination=/img,rw=maybe"))
                .hasMessageContaining("use true or false");
        assertThatThrownBy(() -> MountParser.mount("type=image,source=busybox,destination=img"))
                .hasMessageContaining("absolute path");
        assertThatThrownBy(() -> MountParser.mount("type=glob,source=/a*,destination=/img"))
                .hasMessageContaining("use bind, volume, tmpfs or image");
    }

    @Test
    void rootfsTakesTheFirstArgumentAsADirectory() {
        ContainerSpec plain = spec("--rootfs", "/srv/root", "sh");
        assertThat(plain.image()).isEqualTo("/srv/root");
        assertThat(plain.annotations()).containsEntry("io.kpod.rootfs", "/srv/root");
        assertThat(plain.process().command()).containsExactly("sh");
        ContainerSpec overlay = spec("--rootfs", "/srv/root/../other:O");
        assertThat(overlay.image()).isEqualTo("/srv/other");
        assertThat(overlay.annotations()).containsEntry("io.kpod.rootfs", "/srv/other:O");
        assertThat(spec("--annotation", "io.kpod.rootfs=/", "img").annotations())
                .as("only --rootfs says so").doesNotContainKey("io.kpod.rootfs");
        assertThatThrownBy(() -> spec("--rootfs", ":O")).hasMessageContaining("--rootfs needs a directory");
    }

    @Test
    void volumesFromIsRecordedAsPodmanRecordsIt() {
        ContainerSpec s = spec("--volumes-from", "src:ro", "--volumes-from", "other", "img");
        assertThat(s.annotations()).containsEntry("io.podman.annotations.volumes-from", "src:ro;other");
        assertThat(s.mounts()).as("resolved by the engine at create").isEmpty();
        assertThat(spec("--annotation", "io.podman.annotations.volumes-from=x", "img").annotations())
                .as("only --volumes-from says so").doesNotContainKey("io.podman.annotations.volumes-from");
        assertThatThrownBy(() -> spec("--volumes-from", "src:Z", "img"))
                .hasMessageContaining("invalid option \"Z\" in --volumes-from \"src:Z\"");
        assertThatThrownBy(() -> spec("--volumes-from", "src:ro,rw", "img"))
                .hasMessageContaining("ro or rw can be set only once");
        assertThatThrownBy(() -> spec("--volumes-from", ":ro", "img")).hasMessageContaining("container name is empty");
        assertThatThrownBy(() -> spec("--volumes-from", "a;b", "img")).hasMessageContaining("has no ;");
    }

    @Test
    void bindRwFalseIsReadOnly() {
        assertThat(MountParser.mount("type=bind,source=/a,target=/b,rw=false").readOnly()).isTrue();
        assertThat(MountParser.mount("type=bind,source=/a,target=/b,rw=true").readOnly()).isFalse();
    }

    @Test
    void secretSyntax() {
        assertThat(MountParser.secret("db,type=env,target=PW")).isEqualTo(new SecretMount("db", SecretMount.Type.ENV, "PW", 0444, 0, 0));
        assertThat(MountParser.secret("db,mode=0400,uid=5").mode()).isEqualTo(0400);
        assertThatThrownBy(() -> MountParser.secret("db,type=file")).hasMessageContaining("invalid secret type");
    }

    @Test
    void unitsAsPodmanReadsThem() {
        assertThat(Units.bytes("64m")).isEqualTo(64L << 20);
        assertThat(Units.bytes("1g")).isEqualTo(1L << 30);
        assertThat(Units.bytes("512")).isEqualTo(512);
        assertThat(Units.bytes("2GiB")).isEqualTo(2L << 30);
        assertThatThrownBy(() -> Units.bytes("lots")).hasMessageContaining("invalid size");
        assertThat(Units.duration("1m30s")).isEqualTo(Duration.ofSeconds(90));
        assertThat(Units.duration("500ms")).isEqualTo(Duration.ofMillis(500));
        assertThat(Units.duration("0")).isEqualTo(Duration.ZERO);
        assertThatThrownBy(() -> Units.duration("5 minutes")).hasMessageContaining("invalid duration");
    }

    @Test
    void quadletFlagsBecomeASpec() {
        ContainerSpec s = spec("--cidfile=/run/x.cid", "--conmon-pidfile", "/run/x.pid", "--sdnotify=conmon",
                "--cgroups=split", "--tz", "UTC", "--add-host", "db:10.0.0.5", "--dns", "9.9.9.9",
                "--dns-search", "corp", "--dns-option", "ndots:2", "--group-add", "10", "--device", "/dev/null",
                "--read-only-tmpfs=false", "--log-opt", "max-size=1k", "--log-opt", "tag=web",
                "--health-cmd", "true", "--health-on-failure", "restart", "--health-max-log-count", "2",
                "--health-startup-cmd", "test -f /ok", "--health-startup-success", "2", "--http-proxy=false",
                "--userns", "host", "img");
        assertThat(s.systemd().cidFile()).isEqualTo("/run/x.cid");
        assertThat(s.systemd().conmonPidFile()).isEqualTo("/run/x.pid");
        assertThat(s.systemd().sdNotify()).isEqualTo("conmon");
        assertThat(s.systemd().cgroupsMode()).isEqualTo("split");
        assertThat(s.systemd().cgroupParent()).startsWith("/");
        assertThat(s.mounts()).anyMatch(m -> m.destination().equals("/etc/localtime") && m.readOnly());
        assertThat(s.names().addHosts()).containsExactly("db:10.0.0.5");
        assertThat(s.names().dnsServers()).containsExactly("9.9.9.9");
        assertThat(s.process().groupAdd()).containsExactly("10");
        assertThat(s.security().devices()).containsExactly("/dev/null");
        assertThat(s.security().readOnlyTmpfs()).isFalse();
        assertThat(s.logOptions()).containsEntry("max-size", "1024").containsEntry("tag", "web");
        assertThat(s.healthCheck().onFailure()).isEqualTo("restart");
        assertThat(s.healthCheck().maxLogCount()).isEqualTo(2);
        assertThat(s.healthCheck().startup().successes()).isEqualTo(2);
        assertThat(s.healthCheck().startup().test()).containsExactly("CMD-SHELL", "test -f /ok");
    }

    @Test
    void userNamespaceFlagsBecomeTheSpecsMappings() {
        assertThat(spec("--userns", "auto:size=2048", "img").userns().autoSize()).isEqualTo(2048L);
        var m = spec("--uidmap", "0:100000:65536", "--gidmap", "0:200000:65536", "img").userns();
        assertThat(m.hostUid(0)).isEqualTo(100000);
        assertThat(m.hostGid(0)).isEqualTo(200000);
        assertThat(spec("img").userns()).isNull();
        assertThat(spec("--userns", "host", "img").userns()).isNull();
    }

    @Test
    void quadletFlagsThatKpodCannotHonourAreRefused() {
        assertThatThrownBy(() -> spec("--tz", "Nowhere/Atlantis", "img")).hasMessageContaining("unknown timezone");
        assertThatThrownBy(() -> spec("--tz", "../../etc/passwd", "img")).hasMessageContaining("invalid --tz");
        assertThatThrownBy(() -> spec("--userns", "keep-id", "img")).hasMessageContaining("only supported in rootless mode");
        assertThatThrownBy(() -> spec("--userns", "host", "--uidmap", "0:1:1", "img")).hasMessageContaining("cannot be used with");
        assertThatThrownBy(() -> spec("--cgroups", "disabled", "img")).hasMessageContaining("--cgroups=disabled");
        assertThatThrownBy(() -> spec("--sdnotify", "healthy", "img")).hasMessageContaining("needs a health check");
        assertThatThrownBy(() -> spec("--log-opt", "colour=red", "img")).hasMessageContaining("unknown --log-opt");
        assertThatThrownBy(() -> spec("--health-log-destination", "/var/log", "--health-cmd", "true", "img"))
                .hasMessageContaining("not supported");
    }

    @Test
    void kubePlaysLogOptionsAreConvertedAsRunsAre() {
        // kube play --log-opt max-size=1mb used to reach conmon as "1mb", which conmon refused
        assertThat(ContainerFlags.logOptions(java.util.List.of("max-size=1mb", "tag=t", "path=rel/log")))
                .containsEntry("max-size", "1048576").containsEntry("tag", "t")
                .hasEntrySatisfying("path", p -> assertThat(p).startsWith("/").endsWith("rel/log"));
        assertThatThrownBy(() -> ContainerFlags.logOptions(java.util.List.of("bogus")))
                .hasMessage("unknown --log-opt \"bogus\": use path, max-size or tag");
    }
}
