package io.kpod.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import io.kpod.engine.Json;
import io.kpod.spec.KpodException;
import java.util.List;

/** JSON string arrays as flags like {@code --entrypoint '["sh","-c"]'} take them. */
final class Jsonish {
    private Jsonish() {
    }

    static List<String> stringArray(String json) {
        try {
            return Json.MAPPER.readValue(json, new TypeReference<List<String>>() { });
        } catch (JsonProcessingException e) {
            throw KpodException.invalid("invalid JSON array " + json + ": " + e.getOriginalMessage());
        }
    }
}
