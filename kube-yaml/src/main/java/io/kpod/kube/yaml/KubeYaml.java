package io.kpod.kube.yaml;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * kpod's one YAML stack for Kubernetes manifests, configured once and safe to share between
 * threads: snakeyaml-engine reads the text with limits against hostile input, values are
 * resolved as Kubernetes' Go tools resolve them (YAML 1.1: {@code 0644} is 420, {@code yes}
 * is true; numbers accepted into string fields), and fabric8 builds the objects. Pod,
 * Deployment, DaemonSet, Job, ConfigMap, Secret, PersistentVolumeClaim and Service come back
 * typed, {@code kind: List} is flattened, every other kind arrives as a
 * {@link GenericKubernetesResource}. Errors are {@link InvalidManifestException}s naming file,
 * document, line and field path; fields the schema lacks are warnings unless {@link Builder#strict}.
 */
public final class KubeYaml {
    private final boolean strict;
    private final YamlLimits limits;
    private final ObjectMapper typed = ModelMappers.typed();
    private final YamlDocuments documents;
    private final ResourceDecoder decoder;
    private final YamlDumper dumper = new YamlDumper();

    private KubeYaml(Builder b) {
        this.strict = b.strict;
        this.limits = b.limits;
        this.documents = new YamlDocuments(limits);
        this.decoder = new ResourceDecoder(typed, ModelMappers.generic(), strict);
    }

    /** Lenient (unknown fields are warnings) with {@link YamlLimits#DEFAULTS}. */
    public static KubeYaml create() {
        return builder().build();
    }

    public static Builder builder() {
        return new Builder();
    }

    public boolean strict() {
        return strict;
    }

    public YamlLimits limits() {
        return limits;
    }

    /** Every document of every source, in order. Reads all sources before returning. */
    public ParseResult parse(List<ManifestSource> sources) {
        List<ParsedDocument> out = new ArrayList<>();
        List<ManifestWarning> warnings = new ArrayList<>();
        for (ManifestSource source : sources) {
            String text = SourceText.read(source, limits);
            String file = source.name();
            documents.read(file, text, (index, root) -> {
                JsonNode json = new NodeConverter(file, index, limits).convert(root);
                if (json.isNull()) {
                    return; // an empty document, or one holding only comments
                }
                if (!(json instanceof ObjectNode object)) {
                    throw new InvalidManifestException(file, index, FieldPaths.line(root), "",
                            "a document must be a mapping (a Kubernetes object), found " + Problems.describeValue(json));
                }
                decoder.decode(new ResourceDecoder.Origin(file, index, root), object, List.of(), out, warnings);
            });
        }
        return new ParseResult(out, warnings);
    }

    public ParseResult parse(ManifestSource... sources) {
        return parse(List.of(sources));
    }

    /** Command-line arguments as {@code kpod kube play} takes them: files, directories, {@code -} for {@code stdin}. */
    public ParseResult parseArguments(List<String> arguments, InputStream stdin) {
        List<ManifestSource> sources = new ArrayList<>();
        for (String a : arguments) {
            sources.addAll(ManifestSource.resolve(a, stdin));
        }
        return parse(sources);
    }

    /** Text in memory, labelled {@code name} in messages. */
    public ParseResult parseText(String name, String text) {
        return parse(ManifestSource.text(name, text));
    }

    /**
     * Multi-document YAML ({@code ---} between documents) in fabric8's field order, quoted so
     * that Go readers (kubectl, Podman) read back the same values.
     */
    public String dump(List<? extends HasMetadata> resources) {
        List<JsonNode> trees = new ArrayList<>(resources.size());
        for (HasMetadata r : resources) {
            trees.add(typed.valueToTree(Objects.requireNonNull(r, "resource")));
        }
        return dumper.dump(trees);
    }

    /** Configures a {@link KubeYaml}. */
    public static final class Builder {
        private boolean strict;
        private YamlLimits limits = YamlLimits.DEFAULTS;

        private Builder() {
        }

        /** Fields unknown to the Kubernetes schema become errors instead of warnings. */
        public Builder strict(boolean strict) {
            this.strict = strict;
            return this;
        }

        public Builder limits(YamlLimits limits) {
            this.limits = Objects.requireNonNull(limits, "limits");
            return this;
        }

        public KubeYaml build() {
            return new KubeYaml(this);
        }
    }
}
