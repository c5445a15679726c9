package io.kpod.engine.secret;

import java.util.Map;

/** A secret of the file driver, as {@code kpod secret inspect} shows it (never its value). */
public record SecretRecord(String id, String name, String driver, String createdAt, Map<String, String> labels) {
    public SecretRecord {
        labels = labels == null ? Map.of() : Map.copyOf(labels);
    }
}
