package io.kpod.spec;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/** Copies that keep insertion order, which matters for env and labels as the user wrote them. */
final class Util {
    private Util() {
    }

    static <K, V> Map<K, V> orderedCopy(Map<K, V> in) {
        return Collections.unmodifiableMap(new LinkedHashMap<>(in));
    }
}
