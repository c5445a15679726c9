package io.kpod.engine.image;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kpod.engine.Json;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The run defaults of an image, the {@code config} object of an OCI image config. Absent
 * strings are empty, absent lists and maps are empty; {@link #toJson()} writes the Docker/OCI
 * keys ({@code Env}, {@code Cmd}, …) and omits empty ones, as Podman's inspect does.
 */
public record ImageConfig(List<String> env, List<String> cmd, List<String> entrypoint, String workingDir,
                          String user, List<String> volumes, List<String> exposedPorts,
                          Map<String, String> labels, String stopSignal) {
    public static final ImageConfig EMPTY =
            new ImageConfig(List.of(), List.of(), List.of(), "", "", List.of(), List.of(), Map.of(), "");

    public ImageConfig {
        env = copy(env);
        cmd = copy(cmd);
        entrypoint = copy(entrypoint);
        volumes = copy(volumes);
        exposedPorts = copy(exposedPorts);
        labels = labels == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(labels));
        workingDir = workingDir == null ? "" : workingDir;
        user = user == null ? "" : user;
        stopSignal = stopSignal == null ? "" : stopSignal;
    }

    private static List<String> copy(List<String> l) {
        return l == null ? List.of() : List.copyOf(l);
    }

    /** Reads the {@code config} object of an OCI image config; null or missing gives {@link #EMPTY}. */
    public static ImageConfig fromJson(JsonNode c) {
        if (c == null || !c.isObject()) {
            return EMPTY;
        }
        Map<String, String> labels = new LinkedHashMap<>();
        JsonNode l = c.path("Labels");
        for (Iterator<Map.Entry<String, JsonNode>> it = l.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            labels.put(e.getKey(), e.getValue().asText());
        }
        return new ImageConfig(strings(c.path("Env")), strings(c.path("Cmd")), strings(c.path("Entrypoint")),
                c.path("WorkingDir").asText(""), c.path("User").asText(""), keys(c.path("Volumes")),
                keys(c.path("ExposedPorts")), labels, c.path("StopSignal").asText(""));
    }

    private static List<String> strings(JsonNode n) {
        List<String> out = new ArrayList<>();
        n.forEach(x -> out.add(x.asText()));
        return out;
    }

    private static List<String> keys(JsonNode n) {
        List<String> out = new ArrayList<>();
        n.fieldNames().forEachRemaining(out::add);
        return out;
    }

    /** The OCI/Docker JSON form, keys in the order Docker writes them. */
    public ObjectNode toJson() {
        ObjectNode o = Json.MAPPER.createObjectNode();
        if (!user.isEmpty()) {
            o.put("User", user);
        }
        if (!exposedPorts.isEmpty()) {
            ObjectNode ports = o.putObject("ExposedPorts");
            exposedPorts.forEach(p -> ports.putObject(p));
        }
        putList(o, "Env", env);
        putList(o, "Entrypoint", entrypoint);
        putList(o, "Cmd", cmd);
        if (!volumes.isEmpty()) {
            ObjectNode vols = o.putObject("Volumes");
            volumes.forEach(v -> vols.putObject(v));
        }
        if (!workingDir.isEmpty()) {
            o.put("WorkingDir", workingDir);
        }
        if (!labels.isEmpty()) {
            ObjectNode lbl = o.putObject("Labels");
            labels.forEach(lbl::put);
        }
        if (!stopSignal.isEmpty()) {
            o.put("StopSignal", stopSignal);
        }
        return o;
    }

    private static void putList(ObjectNode o, String key, List<String> values) {
        if (!values.isEmpty()) {
            ArrayNode a = o.putArray(key);
            values.forEach(a::add);
        }
    }
}
