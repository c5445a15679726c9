package io.kpod.network;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The persisted allocations of one network.
 *
 * @param networkId the id of the network they belong to; a recreated network of the same name starts fresh
 * @param lastAllocated per subnet, the last address handed out, so freed addresses are reused last
 * @param allocations owner id to its addresses, one per subnet
 */
record IpamState(
        @JsonProperty("network_id") String networkId,
        @JsonProperty("last_allocated") Map<String, String> lastAllocated,
        @JsonProperty("allocations") Map<String, List<String>> allocations) {

    IpamState {
        lastAllocated = lastAllocated == null ? new TreeMap<>() : new TreeMap<>(lastAllocated);
        allocations = allocations == null ? new TreeMap<>() : new TreeMap<>(allocations);
    }

    static IpamState empty(String networkId) {
        return new IpamState(networkId, null, null);
    }
}
