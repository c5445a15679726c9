package io.kpod.network;

import com.fasterxml.jackson.annotation.JsonProperty;

/** An address netavark put on an interface, with its prefix length ({@code 10.90.0.2/24}). */
public record NetAddress(@JsonProperty("ipnet") String ipnet, @JsonProperty("gateway") String gateway) {
    /** The address without the prefix length. */
    public String address() {
        int slash = ipnet.indexOf('/');
        return slash < 0 ? ipnet : ipnet.substring(0, slash);
    }
}
