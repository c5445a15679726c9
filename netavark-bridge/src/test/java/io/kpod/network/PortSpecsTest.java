package io.kpod.network;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kpod.spec.KpodException;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class PortSpecsTest {
    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "80                    | ''          | 80   | 0     | 1 | tcp",
        "8080:80               | ''          | 80   | 8080  | 1 | tcp",
        "8080:80/udp           | ''          | 80   | 8080  | 1 | udp",
        "127.0.0.1:8080:80     | 127.0.0.1   | 80   | 8080  | 1 | tcp",
        "127.0.0.1::80         | 127.0.0.1   | 80   | 0     | 1 | tcp",
        "0.0.0.0:9000:90/tcp   | ''          | 90   | 9000  | 1 | tcp",
        "8080-8081:80-81       | ''          | 80   | 8080  | 2 | tcp",
        "80-82                 | ''          | 80   | 0     | 3 | tcp",
        "[::1]:8443:443        | ::1         | 443  | 8443  | 1 | tcp",
        "[fd00:0::5]::53/udp   | fd00::5     | 53   | 0     | 1 | udp",
        ":80                   | ''          | 80   | 0     | 1 | tcp",
        "5000:5000/SCTP        | ''          | 5000 | 5000  | 1 | sctp",
    })
    void parsesPodmanPublishSyntax(String spec, String hostIp, int ctr, int host, int range, String proto) {
        assertThat(PortSpecs.parse(spec)).containsExactly(new PortMapping(hostIp, ctr, host, range, proto));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "8080-8082:80-81 | different lengths",
        "80/icmp         | unknown protocol",
        "70000:80        | must be 1-65535",
        "8080:0          | container port 0",
        "abc             | invalid container port",
        "1.2.3.4.5:80:80 | not an IP address",
        "::1:8080:80     | brackets",
        "82-80           | ends before it starts",
        "host.example:80:80 | not an IP address",
        "8080:           | container port is missing",
    })
    void rejectsBadSpecs(String spec, String message) {
        assertThatThrownBy(() -> PortSpecs.parse(spec)).isInstanceOf(KpodException.class)
                .hasMessageContaining(message);
    }

    @org.junit.jupiter.api.Test
    void oneMappingPerProtocolAndPodmanText() {
        List<PortMapping> m = PortSpecs.parse("127.0.0.1:53:53/tcp,udp");
        assertThat(m).extracting(PortMapping::protocol).containsExactly("tcp", "udp");
        assertThat(PortSpecs.parse("8080-8081:80-81").get(0)).hasToString("0.0.0.0:8080-8081->80-81/tcp");
        assertThat(PortSpecs.parseAll(List.of("80", "81/udp"))).hasSize(2);
    }
}
