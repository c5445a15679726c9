package io.kpod.infra;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kpod.spec.KpodException;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class HostsFileTest {
    private static final Path RUN = Path.of("/run/kpod");

    @Test
    void podOnABridgeNetworkLooksLikePodmans() {
        SandboxRequest r = SandboxRequest.builder("p1id", "p1", RUN)
                .network(NetworkMode.path(Path.of("/run/netns/kpod-p1")))
                .podIp("10.77.0.10").gatewayIp("10.77.0.1").build();
        assertThat(EtcFiles.podHosts(InfraContainerPlan.of(r), "ignored 1.2.3.4\n")).isEqualTo(
                "127.0.0.1\tlocalhost\n"
                        + "::1\tlocalhost\n"
                        + "10.77.0.1\thost.containers.internal\n"
                        + "10.77.0.10\tp1 p1id-infra\n");
    }

    @Test
    void userEntriesComeFirstAndWinTheirNames() {
        SandboxRequest r = SandboxRequest.builder("p1id", "p1", RUN)
                .podIp("10.77.0.10")
                .extraHosts(List.of(HostEntry.parseAddHost("db:10.0.0.5"),
                        HostEntry.hostAlias("10.0.0.6", List.of("foo.local", "bar.local")),
                        HostEntry.parseAddHost("p1:192.168.1.1")))
                .build();
        assertThat(EtcFiles.podHosts(InfraContainerPlan.of(r), "")).isEqualTo(
                "10.0.0.5\tdb\n"
                        + "10.0.0.6\tfoo.local bar.local\n"
                        + "192.168.1.1\tp1\n"
                        + "127.0.0.1\tlocalhost\n"
                        + "::1\tlocalhost\n"
                        + "10.77.0.10\tp1id-infra\n");
    }

    @Test
    void loopbackOnlyPodNamesItselfOnLocalhost() {
        SandboxRequest r = SandboxRequest.builder("abc", "web", RUN).hostname("web-host").build();
        assertThat(EtcFiles.podHosts(InfraContainerPlan.of(r), "")).isEqualTo(
                "127.0.0.1\tlocalhost\n::1\tlocalhost\n127.0.0.1\tweb-host abc-infra\n");
    }

    @Test
    void hostNetworkStartsFromTheHostsFile() {
        SandboxRequest r = SandboxRequest.builder("abc", "web", RUN).network(NetworkMode.host()).build();
        String host = "# comment\n127.0.0.1 localhost\n10.1.1.1   myhost  myhost.lan # trailing\n";
        assertThat(EtcFiles.podHosts(InfraContainerPlan.of(r), host)).isEqualTo(
                // localhost is taken by the base file, so neither generated localhost line is written
                "127.0.0.1\tlocalhost\n10.1.1.1\tmyhost myhost.lan\n");
    }

    @Test
    void membersAreAddedOnceAndRemovedByName() {
        String base = HostsFile.build(List.of(), List.of(), null, List.of(HostEntry.of("10.0.0.2", "p1", "p1-infra")));
        String added = HostsFile.add(base, List.of(HostsFile.memberEntry("p1-web")));
        assertThat(added).endsWith("10.0.0.2\tp1 p1-infra\n127.0.0.1\tp1-web\n");
        assertThat(HostsFile.add(added, List.of(HostsFile.memberEntry("p1-web")))).isEqualTo(added);
        assertThat(HostsFile.remove(added, List.of(HostsFile.memberEntry("p1-web")))).isEqualTo(base);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "db:10.0.0.5|10.0.0.5|db",
            "v6:2001:db8::1|2001:db8::1|v6",
            "x.example.com:::1|::1|x.example.com"})
    void parsesAddHost(String value, String ip, String name) {
        assertThat(HostEntry.parseAddHost(value)).isEqualTo(HostEntry.of(ip, name));
    }

    @ParameterizedTest
    @ValueSource(strings = {"nocolon", ":10.0.0.1", "db:", "db:example.com", "db:10.0.0.256", "db:1.2.3"})
    void rejectsBadAddHost(String value) {
        assertThatThrownBy(() -> HostEntry.parseAddHost(value)).isInstanceOf(KpodException.class).hasMessageContaining("--add-host");
    }
}
