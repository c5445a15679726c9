package io.kpod.network;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * A network definition in Podman's JSON format, field for field as Podman writes
 * {@code /etc/containers/networks/<name>.json}, so netavark reads it unchanged.
 */
@JsonPropertyOrder({"name", "id", "driver", "network_interface", "created", "subnets", "ipv6_enabled", "internal",
        "dns_enabled", "network_dns_servers", "labels", "options", "ipam_options"})
public record Network(
        @JsonProperty("name") String name,
        @JsonProperty("id") String id,
        @JsonProperty("driver") String driver,
        @JsonProperty("network_interface") @JsonInclude(JsonInclude.Include.NON_EMPTY) String networkInterface,
        @JsonProperty("created") String created,
        @JsonProperty("subnets") @JsonInclude(JsonInclude.Include.NON_EMPTY) List<Subnet> subnets,
        @JsonProperty("ipv6_enabled") boolean ipv6Enabled,
        @JsonProperty("internal") boolean internal,
        @JsonProperty("dns_enabled") boolean dnsEnabled,
        @JsonProperty("labels") @JsonInclude(JsonInclude.Include.NON_EMPTY) Map<String, String> labels,
        @JsonProperty("options") @JsonInclude(JsonInclude.Include.NON_EMPTY) Map<String, String> options,
        @JsonProperty("ipam_options") @JsonInclude(JsonInclude.Include.NON_EMPTY) Map<String, String> ipamOptions,
        @JsonProperty("network_dns_servers") @JsonInclude(JsonInclude.Include.NON_EMPTY) List<String> networkDnsServers) {

    public static final String BRIDGE = "bridge";

    /** A network whose aardvark-dns forwards other names to the host's resolvers. */
    public Network(String name, String id, String driver, String networkInterface, String created,
                   List<Subnet> subnets, boolean ipv6Enabled, boolean internal, boolean dnsEnabled,
                   Map<String, String> labels, Map<String, String> options, Map<String, String> ipamOptions) {
        this(name, id, driver, networkInterface, created, subnets, ipv6Enabled, internal, dnsEnabled, labels, options,
                ipamOptions, null);
    }

    public Network {
        networkDnsServers = networkDnsServers == null ? List.of() : List.copyOf(networkDnsServers);
        subnets = subnets == null ? List.of() : List.copyOf(subnets);
        labels = sorted(labels);
        options = sorted(options);
        ipamOptions = sorted(ipamOptions);
    }

    private static Map<String, String> sorted(Map<String, String> m) {
        return m == null ? Map.of() : java.util.Collections.unmodifiableMap(new TreeMap<>(m));
    }

    /** Go's time.RFC3339Nano rendering of a timestamp, as Podman stores {@code created}. */
    public static String formatCreated(OffsetDateTime t) {
        return t.format(DateTimeFormatter.ISO_OFFSET_DATE_TIME);
    }

    /** The creation time, or empty when the file holds none or an unreadable one. */
    @JsonIgnore
    public Optional<Instant> createdAt() {
        try {
            return created == null ? Optional.empty() : Optional.of(OffsetDateTime.parse(created).toInstant());
        } catch (java.time.format.DateTimeParseException e) {
            return Optional.empty();
        }
    }

    /** The first 12 characters of the id, as {@code network ls} shows it. */
    @JsonIgnore
    public String shortId() {
        return id.length() > 12 ? id.substring(0, 12) : id;
    }

    /** The MTU from {@code -o mtu=N}, if set. */
    @JsonIgnore
    public Optional<Integer> mtu() {
        String v = options.get("mtu");
        return v == null ? Optional.empty() : Optional.of(Integer.parseInt(v));
    }
}
