package io.kpod.quadlet;

import static io.kpod.quadlet.KeyRow.row;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Every [Volume], [Network] and [Image] key: the unit lines and the exact kpod arguments. */
class ResourceKeysTest {

    static Stream<KeyRow> volumeRows() {
        String create = "volume create --ignore";
        return Stream.of(
                row("", "ExecStart", create + " systemd-test"),
                row("", "Service.Type", "oneshot"),
                row("", "Service.RemainAfterExit", "yes"),
                row("VolumeName=data", "ExecStart", create + " data"),
                row("Driver=local", "ExecStart", create + " --driver local systemd-test"),
                row("Driver=image\nImage=localhost/img", "ExecStart",
                        create + " --driver image --opt image=localhost/img systemd-test"),
                row("Driver=image\nImage=app.image", "ExecStart",
                        create + " --driver image --opt image=localhost/app systemd-test"),
                row("Driver=image\nImage=app.image", "Unit.Requires", "app-image.service"),
                row("Copy=false", "ExecStart", create + " --opt nocopy systemd-test"),
                row("Copy=true\nUser=1000\nGroup=100", "ExecStart", create + " --opt copy --opt o=uid=1000,gid=100 systemd-test"),
                row("Device=/dev/sdb1\nType=ext4\nOptions=noatime", "ExecStart",
                        create + " --opt device=/dev/sdb1 --opt type=ext4 --opt o=noatime systemd-test"),
                row("Label=b=2 a=1", "ExecStart", create + " --label a=1 --label b=2 systemd-test"),
                row("PodmanArgs=--opt=x", "ExecStart", create + " --opt=x systemd-test"),
                row("ContainersConfModule=/etc/m.conf\nGlobalArgs=--log-level=info", "ExecStart",
                        "--module=/etc/m.conf --log-level=info " + create + " systemd-test"),
                row("ServiceName=vol", "ExecStart", create + " systemd-test").inService("vol.service"));
    }

    static Stream<KeyRow> networkRows() {
        String create = "network create --ignore";
        return Stream.of(
                row("", "ExecStart", create + " systemd-test"),
                row("NetworkName=appnet", "ExecStart", create + " appnet"),
                row("DisableDNS=true\nInternal=true\nIPv6=false", "ExecStart",
                        create + " --disable-dns --internal --ipv6=false systemd-test"),
                row("Driver=macvlan\nIPAMDriver=dhcp\nInterfaceName=kp0", "ExecStart",
                        create + " --driver macvlan --ipam-driver dhcp --interface-name kp0 systemd-test"),
                row("DNS=1.1.1.1\nDNS=8.8.8.8", "ExecStart", create + " --dns 1.1.1.1 --dns 8.8.8.8 systemd-test"),
                row("Subnet=10.1.0.0/24\nSubnet=fd01::/64\nGateway=10.1.0.254\nIPRange=10.1.0.128/25", "ExecStart",
                        create + " --subnet 10.1.0.0/24 --gateway 10.1.0.254 --ip-range 10.1.0.128/25"
                                + " --subnet fd01::/64 systemd-test"),
                row("Options=mtu=1400 isolate=true", "ExecStart",
                        create + " --opt isolate=true --opt mtu=1400 systemd-test"),
                row("Label=app=shop", "ExecStart", create + " --label app=shop systemd-test"),
                row("PodmanArgs=--route=10.2.0.0/16,10.1.0.1", "ExecStart",
                        create + " --route=10.2.0.0/16,10.1.0.1 systemd-test"),
                row("NetworkDeleteOnStop=true", "ExecStopPost", "network rm systemd-test"),
                row("ContainersConfModule=/etc/m.conf\nGlobalArgs=--log-level=info", "ExecStart",
                        "--module=/etc/m.conf --log-level=info " + create + " systemd-test"),
                row("ServiceName=net", "ExecStart", create + " systemd-test").inService("net.service"));
    }

    static Stream<KeyRow> imageRows() {
        return Stream.of(
                row("Image=localhost/img", "ExecStart", "image pull localhost/img"),
                row("Image=localhost/img\nArch=arm64\nAuthFile=/etc/auth.json\nCertDir=/etc/certs\nCreds=u:p\n"
                        + "DecryptionKey=/k.pem\nOS=linux\nPolicy=always\nVariant=v8\nRetry=3\nRetryDelay=5s",
                        "ExecStart", "image pull --arch arm64 --authfile /etc/auth.json --cert-dir /etc/certs"
                                + " --creds u:p --decryption-key /k.pem --os linux --policy always --variant v8"
                                + " --retry 3 --retry-delay 5s localhost/img"),
                row("Image=localhost/img\nAllTags=true\nTLSVerify=false", "ExecStart",
                        "image pull --all-tags --tls-verify=false localhost/img"),
                row("Image=localhost/img\nImageTag=localhost/img:v1", "ExecStart", "image pull localhost/img"),
                row("Image=localhost/img\nPodmanArgs=--quiet", "ExecStart", "image pull --quiet localhost/img"),
                row("Image=localhost/img\nContainersConfModule=/etc/m.conf\nGlobalArgs=--log-level=info", "ExecStart",
                        "--module=/etc/m.conf --log-level=info image pull localhost/img"),
                row("Image=localhost/img\nServiceName=img", "ExecStart", "image pull localhost/img")
                        .inService("img.service"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("volumeRows")
    void volumeKey(KeyRow row) {
        row.check("test.volume", "Volume", "test-volume.service",
                new Units().with("app.image", "[Image]\nImage=localhost/app\n"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("networkRows")
    void networkKey(KeyRow row) {
        row.check("test.network", "Network", "test-network.service", new Units());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("imageRows")
    void imageKey(KeyRow row) {
        row.check("test.image", "Image", "test-image.service", new Units());
    }

    @Test
    void everySupportedKeyHasARow() {
        assertThat(KeyRow.keysOf(volumeRows())).containsExactlyInAnyOrderElementsOf(new VolumeConverter().supportedKeys());
        assertThat(KeyRow.keysOf(networkRows()))
                .containsExactlyInAnyOrderElementsOf(new NetworkConverter().supportedKeys());
        assertThat(KeyRow.keysOf(imageRows())).containsExactlyInAnyOrderElementsOf(new ImageConverter().supportedKeys());
    }

    @Test
    void imageTagNamesTheImageThatContainersRun() {
        UnitFile service = Units.of("test.image", "[Image]\nImage=localhost/img\nImageTag=localhost/img:v1\n")
                .with("web.container", "[Container]\nImage=test.image\n").service("web.service");
        assertThat(Units.args(service, "ExecStart")).endsWith(" localhost/img:v1");
        assertThat(service.lookupAll("Unit", "Requires")).containsExactly("test-image.service");
    }
}
