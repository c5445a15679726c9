package io.kpod.quadlet;

import static io.kpod.quadlet.KeyRow.row;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Every [Kube] key: the unit lines and the exact kpod arguments they produce. */
class KubeKeysTest {
    private static final String PLAY = "kube play --replace --service-container=true";
    private static final String YAML = "/etc/containers/systemd/app.yaml";

    static Stream<KeyRow> rows() {
        return Stream.of(
                row("Yaml=app.yaml", "ExecStart", PLAY + " " + YAML),
                row("Yaml=app.yaml", "ExecStopPost", "kube down " + YAML),
                row("Yaml=app.yaml", "Service.Type", "notify"),
                row("Yaml=app.yaml", "Service.NotifyAccess", "all"),
                row("Yaml=app.yaml", "Service.KillMode", "mixed"),
                row("Yaml=a.yml\nYaml=/srv/b.yml", "ExecStart", PLAY + " /etc/containers/systemd/a.yml /srv/b.yml"),
                row("Yaml=a.yml\nYaml=/srv/b.yml", "ExecStopPost", "kube down /etc/containers/systemd/a.yml /srv/b.yml"),
                row("Yaml=app.yaml\nExitCodePropagation=all", "ExecStart",
                        PLAY + " --service-exit-code-propagation=all " + YAML),
                row("Yaml=app.yaml\nLogDriver=journald\nLogOpt=tag=x", "ExecStart",
                        PLAY + " --log-driver journald --log-opt tag=x " + YAML),
                row("Yaml=app.yaml\nUserNS=auto", "ExecStart", PLAY + " --userns auto " + YAML),
                row("Yaml=app.yaml\nRemapUsers=auto\nRemapUid=0:1000:10\nRemapGid=0:1000:10\nRemapUidSize=10",
                        "ExecStart", PLAY + " --userns auto:uidmapping=0:1000:10,gidmapping=0:1000:10,size=10 " + YAML),
                row("Yaml=app.yaml\nNetwork=app.network", "ExecStart", PLAY + " --network systemd-app " + YAML),
                row("Yaml=app.yaml\nNetwork=app.network", "Unit.After",
                        "network-online.target | app-network.service"),
                row("Yaml=app.yaml\nAutoUpdate=registry web/local", "ExecStart", PLAY
                        + " --annotation=io.containers.autoupdate=registry"
                        + " --annotation=io.containers.autoupdate/web=local " + YAML),
                row("Yaml=app.yaml\nConfigMap=cm.yaml\nConfigMap=/srv/cm2.yaml", "ExecStart", PLAY
                        + " --configmap /etc/containers/systemd/cm.yaml --configmap /srv/cm2.yaml " + YAML),
                row("Yaml=app.yaml\nPublishPort=8080:80", "ExecStart", PLAY + " --publish 8080:80 " + YAML),
                row("Yaml=app.yaml\nPodmanArgs=--build=false", "ExecStart", PLAY + " --build=false " + YAML),
                row("Yaml=app.yaml\nKubeDownForce=true", "ExecStopPost", "kube down --force " + YAML),
                row("Yaml=sub/app.yaml\nSetWorkingDirectory=yaml", "Service.WorkingDirectory",
                        "/etc/containers/systemd/sub"),
                row("Yaml=/srv/app.yaml\nSetWorkingDirectory=unit", "Service.WorkingDirectory",
                        "/etc/containers/systemd"),
                row("Yaml=app.yaml\nContainersConfModule=/etc/m.conf\nGlobalArgs=--root=/tmp/r", "ExecStopPost",
                        "--module=/etc/m.conf --root=/tmp/r kube down " + YAML),
                row("Yaml=app.yaml\nServiceName=shop", "ExecStart", PLAY + " " + YAML).inService("shop.service"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("rows")
    void keyProducesExactArguments(KeyRow row) {
        row.check("test.kube", "Kube", "test.service", new Units().with("app.network", "[Network]\n"));
    }

    @Test
    void everySupportedKeyHasARow() {
        assertThat(KeyRow.keysOf(rows())).containsExactlyInAnyOrderElementsOf(new KubeConverter().supportedKeys());
    }

    @Test
    void oneshotKubeKeepsItsType() {
        UnitFile service = Units.of("test.kube", "[Kube]\nYaml=app.yaml\n[Service]\nType=oneshot\n")
                .service("test.service");
        assertThat(service.lookupAll("Service", "Type")).containsExactly("oneshot");
        assertThat(service.hasKey("Service", "NotifyAccess")).isFalse();
    }
}
