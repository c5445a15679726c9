package io.kpod.kube.generate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kpod.engine.state.ContainerRecord;
import io.kpod.spec.ContainerSpec;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class SystemdUnitsTest {
    private static ContainerRecord container(Map<String, String> annotations) {
        ContainerSpec spec = new ContainerSpec("web", "img", null, null, null, null, null, null, null, null,
                annotations, null, null, null, false, false, null, null, null, null);
        return new ContainerRecord("a".repeat(64), "web", spec, "i", "img", List.of(), Map.of(), "/", "", "SIGTERM",
                10, "2026-01-01T00:00:00Z", List.of(), List.of(), false);
    }

    private static SystemdUnits.Options options(boolean fresh) {
        return options(fresh, false);
    }

    private static SystemdUnits.Options options(boolean fresh, boolean template) {
        return new SystemdUnits.Options(List.of("/usr/bin/kpod"), true, fresh, template, null, null, null, null, null, null,
                null, false, null, null, null, List.of("A=b c"), "/run/kpod", "/var/lib/kpod", "0.1.0");
    }

    @Test
    void newUnitRecreatesTheContainerFromItsCommandLineWithoutItsOwnDetachAndName() {
        var c = container(Map.of(SystemdUnits.CREATE_COMMAND,
                "[\"kpod\",\"--root\",\"/x\",\"run\",\"-dit\",\"--rm\",\"--name\",\"old\",\"--cidfile=/c\",\"-e\","
                        + "\"P=100%\",\"img\",\"sh\",\"-c\",\"echo a b\"]",
                SystemdUnits.CREATE_COMMAND_TAIL, "4"));
        String unit = new SystemdUnits(options(true), "now").container(c).get("container-web.service");
        assertThat(unit).contains("ExecStart=/usr/bin/kpod run --cidfile=%t/%n.ctr-id --cgroups=no-conmon --rm "
                + "--sdnotify=conmon --replace -d --name web -it -e P=100%% img sh -c \"echo a b\"\n");
        assertThat(unit).contains("Type=notify\nNotifyAccess=all\n").contains("Environment=\"A=b c\"\n")
                .contains("ExecStopPost=/usr/bin/kpod rm -f --ignore -t 10 --cidfile=%t/%n.ctr-id\n");
    }

    @Test
    void plainUnitStartsTheExistingContainerAndWatchesConmon() {
        String unit = new SystemdUnits(options(false), "now").container(container(Map.of()))
                .get("container-web.service");
        assertThat(unit).contains("ExecStart=/usr/bin/kpod start web\n")
                .contains("PIDFile=/run/kpod/containers/" + "a".repeat(64) + "/conmon.pid\n")
                .contains("Type=forking\n").contains("TimeoutStopSec=70\n");
        assertThatThrownBy(() -> new SystemdUnits(options(true), "now").container(container(Map.of())))
                .hasMessageContaining("without --new");
    }

    @Test
    void templateUnitsNameTheirObjectsAfterTheInstance() {
        var c = container(Map.of(SystemdUnits.CREATE_COMMAND, "[\"kpod\",\"run\",\"--name\",\"web\",\"img\"]"));
        Map<String, String> units = new SystemdUnits(options(false, true), "now").container(c);
        assertThat(units).containsOnlyKeys("container-web@.service");
        assertThat(units.get("container-web@.service")).startsWith("# container-web@.service\n")
                .contains("Description=kpod container-web.service for %I\n")
                .contains("--replace -d --name web-%i img\n").contains("Type=notify\n");

        var pod = new io.kpod.engine.pod.PodRecord("b".repeat(64), "pp", new io.kpod.spec.PodSpec("pp", null, null,
                null, Map.of(SystemdUnits.CREATE_COMMAND, "[\"kpod\",\"pod\",\"create\",\"--name\",\"pp\"]"),
                null, null, null, null, null, false, null, null, null), "now", "a".repeat(64));
        var infra = container(Map.of());
        var member = new ContainerRecord("c".repeat(64), "pp-web", c.spec(), "i", "img", List.of(), Map.of(), "/", "",
                "SIGTERM", 10, "2026-01-01T00:00:00Z", List.of(), List.of(), false);
        Map<String, String> podUnits = new SystemdUnits(options(true, true), "now").pod(pod, infra, List.of(member));
        assertThat(podUnits).containsOnlyKeys("pod-pp@.service", "container-pp-web@.service");
        assertThat(podUnits.get("pod-pp@.service"))
                .contains("Wants=container-pp-web@%i.service\nBefore=container-pp-web@%i.service\n")
                .contains("--pod-id-file %t/pod-pp@%i.pod-id --exit-policy=stop --name pp-%i\n")
                .contains("PIDFile=%t/pod-pp@%i.pid\n");
        assertThat(podUnits.get("container-pp-web@.service"))
                .contains("BindsTo=pod-pp@%i.service\nAfter=pod-pp@%i.service\n")
                .contains("--pod-id-file %t/pod-pp@%i.pod-id --name pp-web-%i img\n");
    }

    @Test
    void stripDropsFlagsWithTheirValues() {
        assertThat(SystemdUnits.strip(List.of("--pod", "p", "-d", "--name=x", "-p", "80", "-dt"), Set.of("-d"),
                Set.of("--pod", "--name"))).containsExactly("-p", "80", "-t");
    }
}
