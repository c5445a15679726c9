package io.kpod.quadlet;

import static io.kpod.quadlet.KeyRow.row;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Every [Pod] key: the unit lines and the exact kpod arguments they produce. */
class PodKeysTest {
    private static final String CREATE = "pod create --infra-conmon-pidfile=%t/%N.pid --pod-id-file=%t/%N.pod-id"
            + " --exit-policy=stop --replace";
    private static final String NAMES = "--infra-name systemd-test-infra --name systemd-test";

    static String create(String flags) {
        return CREATE + (flags.isEmpty() ? "" : " " + flags) + " " + NAMES;
    }

    static Stream<KeyRow> rows() {
        return Stream.of(
                row("", "ExecStartPre", create("")),
                row("", "ExecStart", "pod start --pod-id-file=%t/%N.pod-id"),
                row("", "ExecStop", "pod stop --pod-id-file=%t/%N.pod-id --ignore --time=10"),
                row("", "ExecStopPost", "pod rm --pod-id-file=%t/%N.pod-id --ignore --force"),
                row("", "Service.Type", "forking"),
                row("", "Service.PIDFile", "%t/%N.pid"),
                row("StopTimeout=30", "ExecStop", "pod stop --pod-id-file=%t/%N.pod-id --ignore --time=30"),
                row("ExitPolicy=continue", "ExecStartPre", CREATE.replace("=stop", "=continue") + " " + NAMES),
                row("UserNS=auto:size=1000", "ExecStartPre", create("--userns auto:size=1000")),
                row("UIDMap=0:10000:10\nGIDMap=0:10000:10", "ExecStartPre",
                        create("--uidmap 0:10000:10 --gidmap 0:10000:10")),
                row("SubUIDMap=app\nSubGIDMap=app", "ExecStartPre", create("--subuidname app --subgidname app")),
                row("RemapUsers=keep-id\nRemapUid=1000\nRemapGid=1000", "ExecStartPre",
                        create("--userns keep-id:uid=1000,gid=1000")),
                row("RemapUsers=auto\nRemapUidSize=500", "ExecStartPre", create("--userns auto:size=500")),
                row("PublishPort=8080:80", "ExecStartPre", create("--publish 8080:80")),
                row("Label=b=2 a=1", "ExecStartPre", create("--label a=1 --label b=2")),
                row("Network=host", "ExecStartPre", create("--network host")),
                row("Network=app.network", "ExecStartPre", create("--network systemd-app")),
                row("Network=app.network", "Unit.Requires", "app-network.service"),
                row("IP=10.88.0.9\nIP6=fd00::9\nShmSize=64m", "ExecStartPre",
                        create("--ip 10.88.0.9 --ip6 fd00::9 --shm-size 64m")),
                row("NetworkAlias=web\nDNS=1.1.1.1\nDNSOption=ndots:1\nDNSSearch=lan\nAddHost=db:10.0.0.2\n"
                        + "HostName=pod1", "ExecStartPre", create("--network-alias web --dns 1.1.1.1"
                        + " --dns-option ndots:1 --dns-search lan --add-host db:10.0.0.2 --hostname pod1")),
                row("Volume=data.volume:/data\nVolume=/srv:/srv:ro", "ExecStartPre",
                        create("-v systemd-data:/data -v /srv:/srv:ro")),
                row("PodName=web", "ExecStartPre", CREATE + " --infra-name web-infra --name web"),
                row("PodmanArgs=--cpus=1", "ExecStartPre", create("") + " --cpus=1"),
                row("ContainersConfModule=/etc/m.conf\nGlobalArgs=--log-level=info", "ExecStartPre",
                        "--module=/etc/m.conf --log-level=info " + create("")),
                row("ServiceName=web-pod-svc", "ExecStart", "pod start --pod-id-file=%t/%N.pod-id")
                        .inService("web-pod-svc.service"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("rows")
    void keyProducesExactArguments(KeyRow row) {
        row.check("test.pod", "Pod", "test-pod.service", new Units().with("app.network", "[Network]\n").with("data.volume", "[Volume]\n"));
    }

    @Test
    void everySupportedKeyHasARow() {
        assertThat(KeyRow.keysOf(rows())).containsExactlyInAnyOrderElementsOf(new PodConverter().supportedKeys());
    }

    @Test
    void containersOfThePodAreStartedWithItUnlessStartWithPodIsFalse() {
        UnitFile pod = Units.of("test.pod", "[Pod]\n")
                .with("a.container", "[Container]\nImage=localhost/a\nPod=test.pod\n")
                .with("b.container", "[Container]\nImage=localhost/b\nPod=test.pod\nStartWithPod=false\n")
                .service("test-pod.service");
        assertThat(pod.lookupAll("Unit", "Wants")).containsExactly("network-online.target", "a.service");
        assertThat(pod.lookupAll("Unit", "Before")).containsExactly("a.service");
    }
}
