package io.kpod.kube.play;

import io.kpod.kube.yaml.InvalidManifestException;
import io.kpod.kube.yaml.ParsedDocument;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * What a play reads past, one line each: kinds it skips, fields it does not honour (once per
 * field path, whatever the replica), notes. In strict mode an unhonoured field is an error.
 */
public final class Warnings {
    private final boolean strict;
    private final Set<String> seenPaths = new LinkedHashSet<>();
    private final List<String> lines = new ArrayList<>();

    public Warnings(boolean strict) {
        this.strict = strict;
    }

    public synchronized void unhonoured(ParsedDocument doc, String path, String why) {
        String key = doc.source() + "#" + doc.index() + "#" + path;
        if (!seenPaths.add(key)) {
            return;
        }
        if (strict) {
            throw new InvalidManifestException(doc.source(), doc.index(), doc.line(), path,
                    "not honoured by kpod: " + why + " (--validate=strict)");
        }
        lines.add(InvalidManifestException.format(doc.source(), doc.index(), doc.line(), path,
                "not honoured by kpod: " + why));
    }

    public synchronized void note(String line) {
        if (!lines.contains(line)) {
            lines.add(line);
        }
    }

    public synchronized List<String> lines() {
        return List.copyOf(lines);
    }
}
