package io.kpod.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * {@code kpod network create|ls|inspect|rm|prune|exists} on their own: the files they write,
 * Podman's output shapes and exit codes. Each test uses its own 10.251.2xx.0/24 subnets and
 * removes what it made, since prune in one test would sweep another's leftovers.
 */
class NetworkCommandsE2ETest extends E2EBase {
    private static final ObjectMapper JSON = new ObjectMapper();

    private Path netFile(String name) {
        return kpod.base().resolve("net").resolve(name + ".json");
    }

    private List<String> lines(KpodHarness.Result r) {
        return r.out().lines().toList();
    }

    @Test
    void lsAlwaysShowsTheDefaultNetwork() {
        List<String> table = lines(kpod.ok("network", "ls"));
        assertThat(table.get(0)).startsWith("NETWORK ID").contains("NAME").contains("DRIVER");
        assertThat(table).anySatisfy(l -> assertThat(l).matches("[0-9a-f]{12}\\s+kpod\\s+bridge"));
        assertThat(lines(kpod.ok("network", "list", "-q"))).contains("kpod");
        assertThat(kpod.run("network", "exists", "kpod").code()).isZero();
        JsonNode def = kpod.json("network", "inspect", "kpod").get(0);
        assertThat(def.get("name").asText()).isEqualTo("kpod");
        assertThat(def.get("subnets")).isNotEmpty();
        KpodHarness.Result rm = kpod.run("network", "rm", "kpod");
        assertThat(rm.code()).isEqualTo(125);
        assertThat(rm.err()).contains("default network kpod cannot be removed");
    }

    @Test
    void createWritesPodmanFileThatInspectShows() throws Exception {
        String out = kpod.ok("network", "create", "--subnet", "10.251.200.0/24", "--gateway", "10.251.200.254",
                "--ip-range", "10.251.200.128/25", "--label", "app=e2e", "--label", "flag", "-o", "mtu=1400",
                "--interface-name", "kpe2e200", "nc-full").trimmed();
        assertThat(out).isEqualTo("nc-full");
        Path file = netFile("nc-full");
        String text = Files.readString(file);
        assertThat(text).startsWith("{\n     \"name\": \"nc-full\",\n     \"id\": \"").endsWith("}\n");
        JsonNode inspect = kpod.json("network", "inspect", "nc-full");
        assertThat(inspect.isArray()).isTrue();
        assertThat(inspect).hasSize(1);
        JsonNode n = inspect.get(0);
        assertThat(n).isEqualTo(JSON.readTree(text));

        assertThat(n.get("id").asText()).matches("[0-9a-f]{64}");
        assertThat(n.get("driver").asText()).isEqualTo("bridge");
        assertThat(n.get("network_interface").asText()).isEqualTo("kpe2e200");
        assertThat(n.get("created").asText()).isNotEmpty();
        JsonNode subnet = n.get("subnets").get(0);
        assertThat(subnet.get("subnet").asText()).isEqualTo("10.251.200.0/24");
        assertThat(subnet.get("gateway").asText()).isEqualTo("10.251.200.254");
        assertThat(subnet.get("lease_range").get("start_ip").asText()).isEqualTo("10.251.200.129");
        assertThat(subnet.get("lease_range").get("end_ip").asText()).isEqualTo("10.251.200.254");
        assertThat(n.get("ipv6_enabled").asBoolean()).isFalse();
        assertThat(n.get("internal").asBoolean()).isFalse();
        assertThat(n.get("dns_enabled").asBoolean()).isTrue();
        assertThat(n.get("labels").get("app").asText()).isEqualTo("e2e");
        assertThat(n.get("labels").get("flag").asText()).isEmpty();
        assertThat(n.get("options").get("mtu").asText()).isEqualTo("1400");
        assertThat(n.get("ipam_options").get("driver").asText()).isEqualTo("host-local");

        assertThat(kpod.ok("network", "inspect", "-f", "{{.Name}} {{.NetworkInterface}} {{.Labels.app}}",
                "nc-full").trimmed()).isEqualTo("nc-full kpe2e200 e2e");
        assertThat(kpod.ok("network", "inspect", "--format", "{{range .Subnets}}{{.Gateway}}{{end}}", "nc-full")
                .trimmed()).isEqualTo("10.251.200.254");
        assertThat(kpod.json("network", "inspect", n.get("id").asText().substring(0, 12)).get(0).get("name")
                .asText()).isEqualTo("nc-full");
        kpod.ok("network", "rm", "nc-full");
    }

    @Test
    void internalNoDnsAndIpv6Networks() {
        kpod.ok("network", "create", "--internal", "--disable-dns", "--subnet", "10.251.201.0/24", "nc-internal");
        JsonNode in = kpod.json("network", "inspect", "nc-internal").get(0);
        assertThat(in.get("internal").asBoolean()).isTrue();
        assertThat(in.get("dns_enabled").asBoolean()).isFalse();
        assertThat(in.get("subnets").get(0).has("gateway")).as("internal without DNS needs no gateway").isFalse();

        kpod.ok("network", "create", "--ipv6", "--subnet", "10.251.202.0/24", "nc-v6");
        JsonNode v6 = kpod.json("network", "inspect", "nc-v6").get(0);
        assertThat(v6.get("ipv6_enabled").asBoolean()).isTrue();
        assertThat(v6.get("subnets")).hasSize(2);
        assertThat(v6.get("subnets").get(0).get("subnet").asText()).isEqualTo("10.251.202.0/24");
        assertThat(v6.get("subnets").get(1).get("subnet").asText()).matches("fd[0-9a-f]{2}:[0-9a-f:]+/64");
        kpod.ok("network", "rm", "nc-internal", "nc-v6");
    }

    @Test
    void lsFormatsAndFilters() {
        kpod.ok("network", "create", "--subnet", "10.251.203.0/24", "--label", "env=prod", "nl-alpha");
        kpod.ok("network", "create", "--subnet", "10.251.204.0/24", "--label", "env=dev", "nl-beta");
        String alphaId = kpod.json("network", "inspect", "nl-alpha").get(0).get("id").asText();

        assertThat(lines(kpod.ok("network", "ls"))).anySatisfy(l ->
                assertThat(l).matches(alphaId.substring(0, 12) + "\\s+nl-alpha\\s+bridge"));
        assertThat(lines(kpod.ok("network", "ls", "--no-trunc"))).anySatisfy(l ->
                assertThat(l).matches(alphaId + "\\s+nl-alpha\\s+bridge"));

        JsonNode json = kpod.json("network", "ls", "--format", "json");
        List<String> names = new ArrayList<>();
        json.forEach(n -> names.add(n.get("name").asText()));
        assertThat(names).contains("kpod", "nl-alpha", "nl-beta");
        json.forEach(n -> assertThat(n.has("id") && n.has("driver") && n.has("subnets")).isTrue());

        assertThat(lines(kpod.ok("network", "ls", "--filter", "name=^nl-", "--format", "{{.Name}} {{.Labels}}")))
                .containsExactly("nl-alpha env=prod", "nl-beta env=dev");
        assertThat(lines(kpod.ok("network", "ls", "-q", "--filter", "label=env=prod"))).containsExactly("nl-alpha");
        assertThat(lines(kpod.ok("network", "ls", "-q", "--filter", "label=env"))).containsExactly("nl-alpha", "nl-beta");
        assertThat(lines(kpod.ok("network", "ls", "-q", "--filter", "name=nl-", "--filter", "label!=env=prod")))
                .containsExactly("nl-beta");
        assertThat(lines(kpod.ok("network", "ls", "-q", "--filter", "driver=bridge"))).contains("kpod", "nl-alpha");
        assertThat(lines(kpod.ok("network", "ls", "-q", "--filter", "driver=macvlan"))).isEmpty();
        assertThat(lines(kpod.ok("network", "ls", "-q", "--filter", "id=" + alphaId.substring(0, 10))))
                .containsExactly("nl-alpha");
        assertThat(lines(kpod.ok("network", "ls", "-q", "--filter", "name=nl-", "--filter", "dangling=true")))
                .containsExactly("nl-alpha", "nl-beta");

        List<String> table = lines(kpod.ok("network", "ls", "--filter", "name=nl-alpha",
                "--format", "table {{.Name}}\t{{.Driver}}"));
        assertThat(table).hasSize(2);
        assertThat(table.get(0)).matches("NAME\\s+DRIVER");
        assertThat(table.get(1)).matches("nl-alpha\\s+bridge");
        assertThat(lines(kpod.ok("network", "ls", "-n", "--filter", "name=nl-alpha"))).hasSize(1);

        KpodHarness.Result bad = kpod.run("network", "ls", "--filter", "colour=red");
        assertThat(bad.code()).isEqualTo(125);
        kpod.ok("network", "rm", "nl-alpha", "nl-beta");
    }

    @Test
    void duplicateNamesAndBadSubnetsAreOneLineErrors() {
        String id = kpod.ok("network", "create", "--subnet", "10.251.205.0/24", "nd-dup").trimmed();
        assertThat(id).isEqualTo("nd-dup");
        KpodHarness.Result dup = kpod.run("network", "create", "--subnet", "10.251.206.0/24", "nd-dup");
        assertThat(dup.code()).isEqualTo(125);
        assertThat(dup.err().strip()).isEqualTo("Error: network name nd-dup already used: network already exists");
        assertThat(kpod.ok("network", "create", "--ignore", "--subnet", "10.251.206.0/24", "nd-dup").trimmed())
                .isEqualTo("nd-dup");
        assertThat(kpod.json("network", "inspect", "nd-dup").get(0).get("subnets").get(0).get("subnet").asText())
                .as("--ignore keeps the existing network").isEqualTo("10.251.205.0/24");

        KpodHarness.Result overlap = kpod.run("network", "create", "--subnet", "10.251.205.128/25", "nd-overlap");
        assertThat(overlap.code()).isEqualTo(125);
        assertThat(overlap.err()).contains("10.251.205.128/25").contains("nd-dup");
        assertThat(overlap.err().strip().lines()).hasSize(1);

        for (String bad : List.of("10.251.207.1/24", "not-a-subnet", "10.251.207.0/33")) {
            KpodHarness.Result r = kpod.run("network", "create", "--subnet", bad, "nd-bad");
            assertThat(r.code()).as(bad).isEqualTo(125);
            assertThat(r.err().strip().lines()).as(bad).hasSize(1);
            assertThat(r.err()).startsWith("Error: ");
        }
        KpodHarness.Result gw = kpod.run("network", "create", "--subnet", "10.251.207.0/24", "--gateway",
                "10.251.208.1", "nd-bad");
        assertThat(gw.code()).isEqualTo(125);
        assertThat(kpod.run("network", "create", "-o", "bogus=1", "--subnet", "10.251.207.0/24", "nd-bad").code())
                .isEqualTo(125);
        assertThat(kpod.run("network", "exists", "nd-bad").code()).isEqualTo(1);
        assertThat(kpod.run("network", "exists", "nd-overlap").code()).isEqualTo(1);
        kpod.ok("network", "rm", "nd-dup");
    }

    @Test
    void rmExistsAndGeneratedNames() {
        kpod.ok("network", "create", "--subnet", "10.251.209.0/24", "nr-one");
        assertThat(kpod.run("network", "exists", "nr-one").code()).isZero();
        assertThat(netFile("nr-one")).exists();
        assertThat(kpod.ok("network", "rm", "nr-one").trimmed()).isEqualTo("nr-one");
        assertThat(netFile("nr-one")).doesNotExist();
        assertThat(kpod.run("network", "exists", "nr-one").code()).isEqualTo(1);

        KpodHarness.Result missing = kpod.run("network", "rm", "nr-one");
        assertThat(missing.code()).isEqualTo(1);
        assertThat(missing.err()).contains("unable to find network with name or ID nr-one: network not found");

        String generated = kpod.ok("network", "create", "--subnet", "10.251.210.0/24").trimmed();
        assertThat(generated).matches("kpod[0-9]+");
        KpodHarness.Result partial = kpod.run("network", "rm", generated, "nr-never");
        assertThat(partial.code()).isEqualTo(1);
        assertThat(partial.out().strip()).isEqualTo(generated);
        assertThat(kpod.run("network", "inspect", generated).code()).isEqualTo(125);
    }

    @Test
    void pruneRemovesUnusedNetworksButNeverTheDefault() {
        kpod.ok("network", "create", "--subnet", "10.251.211.0/24", "np-a");
        kpod.ok("network", "create", "--subnet", "10.251.212.0/24", "--label", "keep=yes", "np-b");
        assertThat(lines(kpod.ok("network", "prune", "-f", "--filter", "label!=keep"))).contains("np-a")
                .doesNotContain("np-b", "kpod");
        assertThat(lines(kpod.ok("network", "prune", "-f"))).contains("np-b").doesNotContain("kpod");
        assertThat(lines(kpod.ok("network", "ls", "-q"))).contains("kpod").doesNotContain("np-a", "np-b");
        assertThat(kpod.ok("network", "prune", "-f").trimmed()).isEmpty();
        assertThat(netFile("np-a")).doesNotExist();
    }
}
