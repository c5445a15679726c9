package io.kpod.network;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class NetworkJsonTest {
    static final String ID = "c3b5e1a1f3a34c2f8a4d7e0b9f6a5d4c3b2a1908f7e6d5c4b3a2918070605040";

    /** The network definition from runtime-recipes.md §5, as Podman's encoder writes it. */
    static final String RECIPE_FILE = """
            {
                 "name": "recipe",
                 "id": "%s",
                 "driver": "bridge",
                 "network_interface": "recipe0",
                 "created": "2026-01-01T00:00:00Z",
                 "subnets": [
                      {
                           "subnet": "10.77.0.0/24",
                           "gateway": "10.77.0.1"
                      }
                 ],
                 "ipv6_enabled": false,
                 "internal": false,
                 "dns_enabled": true,
                 "ipam_options": {
                      "driver": "host-local"
                 }
            }
            """.formatted(ID);

    static Network recipe() {
        return new Network("recipe", ID, "bridge", "recipe0", "2026-01-01T00:00:00Z",
                List.of(new Subnet("10.77.0.0/24", "10.77.0.1", null)), false, false, true, null, null,
                Map.of("driver", "host-local"));
    }

    @Test
    void writesTheRecipeNetworkByteForByteAsPodman() {
        assertThat(NetworkJson.toPodmanFile(recipe())).isEqualTo(RECIPE_FILE);
    }

    @Test
    void sameTreeAsTheRecipeSample() throws Exception {
        String sample = """
                { "name": "recipe", "id": "%s", "driver": "bridge", "network_interface": "recipe0",
                  "created": "2026-01-01T00:00:00Z",
                  "subnets": [ { "subnet": "10.77.0.0/24", "gateway": "10.77.0.1" } ],
                  "ipv6_enabled": false, "internal": false, "dns_enabled": true,
                  "ipam_options": { "driver": "host-local" } }""".formatted(ID);
        JsonNode expected = NetworkJson.mapper().readTree(sample);
        JsonNode actual = NetworkJson.mapper().readTree(NetworkJson.toPodmanFile(recipe()));
        assertThat(actual).isEqualTo(expected);
    }

    @Test
    void readsAPodmanFileWithOptionsLabelsAndRangeAndWritesItBack() {
        String podman = """
                {
                     "name": "metric",
                     "id": "%s",
                     "driver": "bridge",
                     "network_interface": "podman100",
                     "created": "2021-10-06T18:50:54.25770461+02:00",
                     "subnets": [
                          {
                               "subnet": "10.89.99.0/24",
                               "gateway": "10.89.99.1",
                               "lease_range": {
                                    "start_ip": "10.89.99.100",
                                    "end_ip": "10.89.99.200"
                               }
                          },
                          {
                               "subnet": "fd00:1::/64",
                               "gateway": "fd00:1::1"
                          }
                     ],
                     "ipv6_enabled": true,
                     "internal": false,
                     "dns_enabled": true,
                     "labels": {
                          "a": "1",
                          "b": "x\\u003cy"
                     },
                     "options": {
                          "metric": "255",
                          "mtu": "1400"
                     },
                     "ipam_options": {
                          "driver": "host-local"
                     }
                }
                """.formatted(ID);
        Network n = NetworkJson.readNetwork(podman.getBytes(StandardCharsets.UTF_8));
        assertThat(n.labels()).containsEntry("b", "x<y");
        assertThat(n.subnets().get(0).leaseRange()).isEqualTo(new LeaseRange("10.89.99.100", "10.89.99.200"));
        assertThat(n.mtu()).contains(1400);
        assertThat(n.createdAt()).isPresent();
        assertThat(NetworkJson.toPodmanFile(n)).isEqualTo(podman);
    }

    @Test
    void unknownFieldsOfNewerPodmanAreIgnored() {
        String json = "{\"name\":\"n\",\"id\":\"" + ID + "\",\"driver\":\"bridge\",\"routes\":[],"
                + "\"network_dns_servers\":[\"1.1.1.1\"],\"ipv6_enabled\":false,\"internal\":true,\"dns_enabled\":false}";
        Network n = NetworkJson.readNetwork(json.getBytes(StandardCharsets.UTF_8));
        assertThat(n.internal()).isTrue();
        assertThat(n.subnets()).isEmpty();
        assertThat(NetworkJson.toPodmanFile(n)).doesNotContain("subnets", "labels", "options", "ipam_options");
    }

    @Test
    void createdIsRfc3339NanoLikeGo() {
        assertThat(Network.formatCreated(OffsetDateTime.of(2024, 3, 1, 12, 0, 5, 120_000_000, ZoneOffset.ofHours(2))))
                .isEqualTo("2024-03-01T12:00:05.12+02:00");
        assertThat(Network.formatCreated(OffsetDateTime.of(2024, 3, 1, 12, 0, 0, 0, ZoneOffset.UTC)))
                .isEqualTo("2024-03-01T12:00:00Z");
    }
}
