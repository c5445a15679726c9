package io.kpod.network;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;

/** An interface netavark created inside the container. */
public record NetInterface(@JsonProperty("mac_address") String macAddress,
        @JsonProperty("subnets") List<NetAddress> subnets) {
    public NetInterface {
        subnets = subnets == null ? List.of() : List.copyOf(subnets);
    }
}
