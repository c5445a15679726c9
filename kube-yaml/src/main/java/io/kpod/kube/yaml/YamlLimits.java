package io.kpod.kube.yaml;

/**
 * Bounds that keep hostile or broken input cheap to refuse. The defaults are far above any real
 * manifest: 4 MiB and 4 Mi code points per source, 1000 documents per source, nesting 100 deep,
 * 50 aliases to collections per document (billion laughs), and 1,000,000 values per document
 * once aliases are expanded.
 *
 * @param maxSourceBytes bytes read from one source (file, stream, text) before refusing it
 * @param maxCodePoints code points snakeyaml-engine reads from one source
 * @param maxDocuments YAML documents in one source, empty ones included
 * @param maxDepth nesting of mappings and sequences in one document
 * @param maxAliasesForCollections aliases that point at a mapping or sequence, per document
 * @param maxValuesPerDocument scalars, mappings and sequences in one document after alias expansion
 */
public record YamlLimits(int maxSourceBytes, int maxCodePoints, int maxDocuments, int maxDepth,
        int maxAliasesForCollections, int maxValuesPerDocument) {

    /** The limits {@link KubeYaml#create()} uses. */
    public static final YamlLimits DEFAULTS = new YamlLimits(4 << 20, 4 << 20, 1000, 100, 50, 1_000_000);

    public YamlLimits {
        if (maxSourceBytes < 1 || maxCodePoints < 1 || maxDocuments < 1 || maxDepth < 2
                || maxAliasesForCollections < 0 || maxValuesPerDocument < 1) {
            throw new IllegalArgumentException("YAML limits must be positive (depth at least 2)");
        }
    }
}
