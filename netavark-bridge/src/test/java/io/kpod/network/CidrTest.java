package io.kpod.network;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kpod.spec.KpodException;
import org.junit.jupiter.api.Test;

class CidrTest {
    @Test
    void ipv4Arithmetic() {
        Cidr c = Cidr.parse("10.90.3.0/24");
        assertThat(c.firstHost()).isEqualTo(IpAddresses.parse("10.90.3.1"));
        assertThat(c.lastHost()).isEqualTo(IpAddresses.parse("10.90.3.254"));
        assertThat(c.last()).isEqualTo(IpAddresses.parse("10.90.3.255"));
        assertThat(c.contains(IpAddresses.parse("10.90.3.77"))).isTrue();
        assertThat(c.contains(IpAddresses.parse("10.90.4.1"))).isFalse();
        assertThat(c.overlaps(Cidr.parse("10.90.0.0/16"))).isTrue();
        assertThat(c.overlaps(Cidr.parse("10.90.4.0/24"))).isFalse();
        assertThat(Cidr.parse("10.0.0.0/31").firstHost()).isEqualTo(IpAddresses.parse("10.0.0.0"));
    }

    @Test
    void strictParseRejectsHostBitsAndSuggests() {
        assertThatThrownBy(() -> Cidr.parse("10.90.3.5/24")).isInstanceOf(KpodException.class)
                .hasMessageContaining("did you mean 10.90.3.0/24");
        assertThat(Cidr.parseLenient("10.90.3.5/24")).isEqualTo(Cidr.parse("10.90.3.0/24"));
        assertThatThrownBy(() -> Cidr.parse("10.90.3.0")).hasMessageContaining("CIDR");
        assertThatThrownBy(() -> Cidr.parse("10.90.3.0/33")).hasMessageContaining("prefix length");
        assertThatThrownBy(() -> Cidr.parse("example.com/24")).hasMessageContaining("invalid IP address");
    }

    @Test
    void ipv6FormattingIsGoLike() {
        Cidr c = Cidr.parse("fd00:0:0:1::/64");
        assertThat(c.toString()).isEqualTo("fd00:0:0:1::/64");
        assertThat(IpAddresses.format(c.firstHost())).isEqualTo("fd00:0:0:1::1");
        assertThat(IpAddresses.canonical("2001:db8:0:0:1:0:0:1")).isEqualTo("2001:db8::1:0:0:1");
        assertThat(IpAddresses.canonical("::")).isEqualTo("::");
        assertThat(IpAddresses.canonical("::1")).isEqualTo("::1");
        assertThat(IpAddresses.canonical("fe80:0:1:0:0:0:0:0")).isEqualTo("fe80:0:1::");
        assertThat(IpAddresses.isLiteral("1::2::3")).isFalse();
        assertThat(IpAddresses.isLiteral("256.1.1.1")).isFalse();
    }

    @Test
    void parsesProcRouteTables() {
        var v4 = LinuxHostNetworkProbe.parseIpv4Routes(java.util.List.of(
                "Iface\tDestination\tGateway \tFlags\tRefCnt\tUse\tMetric\tMask\t\tMTU\tWindow\tIRTT",
                "eth0\t00000000\t010200C0\t0003\t0\t0\t0\t00000000\t0\t0\t0",
                "eth0\t000200C0\t00000000\t0001\t0\t0\t0\t00FFFFFF\t0\t0\t0",
                "kpod0\t00005A0A\t00000000\t0001\t0\t0\t0\t00FFFFFF\t0\t0\t0"));
        assertThat(v4).containsExactly(Cidr.parse("192.0.2.0/24"), Cidr.parse("10.90.0.0/24"));
        var v6 = LinuxHostNetworkProbe.parseIpv6Routes(java.util.List.of(
                "fd000000000000010000000000000000 40 00000000000000000000000000000000 00 "
                        + "00000000000000000000000000000000 00000100 00000001 00000000 00000001 kpod1",
                "00000000000000000000000000000000 00 00000000000000000000000000000000 00 "
                        + "00000000000000000000000000000000 ffffffff 00000001 00000000 00200200 lo"));
        assertThat(v6).containsExactly(Cidr.parse("fd00:0:0:1::/64"));
    }
}
