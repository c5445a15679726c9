package io.kpod.kube.yaml;

import io.fabric8.kubernetes.api.model.HasMetadata;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/** Everything read from the manifests of one call: the objects in input order and the warnings. */
public record ParseResult(List<ParsedDocument> documents, List<ManifestWarning> warnings) {

    public ParseResult {
        documents = List.copyOf(documents);
        warnings = List.copyOf(warnings);
    }

    /** The objects alone, in input order. */
    public List<HasMetadata> resources() {
        return documents.stream().map(ParsedDocument::resource).toList();
    }

    /** {@code apiVersion/kind} of every object kpod does not act on, each once, in first-seen order. */
    public Set<String> unhonouredKinds() {
        Set<String> kinds = new LinkedHashSet<>();
        for (ParsedDocument d : documents) {
            if (!d.honoured()) {
                kinds.add(d.kindReference());
            }
        }
        return kinds;
    }
}
