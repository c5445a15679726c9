package io.kpod.network;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;

/** The part of a subnet from which addresses are handed out automatically ({@code --ip-range}). */
@JsonPropertyOrder({"start_ip", "end_ip"})
@JsonInclude(JsonInclude.Include.NON_EMPTY)
public record LeaseRange(@JsonProperty("start_ip") String startIp, @JsonProperty("end_ip") String endIp) {
}
