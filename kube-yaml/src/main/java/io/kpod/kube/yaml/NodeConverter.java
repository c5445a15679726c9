package io.kpod.kube.yaml;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.BooleanNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.snakeyaml.engine.v2.nodes.MappingNode;
import org.snakeyaml.engine.v2.nodes.Node;
import org.snakeyaml.engine.v2.nodes.NodeTuple;
import org.snakeyaml.engine.v2.nodes.ScalarNode;
import org.snakeyaml.engine.v2.nodes.SequenceNode;
import org.snakeyaml.engine.v2.nodes.Tag;

/**
 * One document's snakeyaml node tree to the JSON tree Kubernetes' Go tools would build from it
 * (sigs.k8s.io/yaml's YAML-to-JSON step): YAML 1.1 scalars, keys made strings, merge keys
 * ({@code <<}) applied, duplicate keys refused. Aliases are expanded, so depth and the number
 * of values are bounded here too: an alias can point back at its own ancestor or fan out.
 */
final class NodeConverter {
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    private static final Tag MERGE = new Tag(Tag.PREFIX + "merge");
    private static final Tag TIMESTAMP = new Tag(Tag.PREFIX + "timestamp");

    private final String file;
    private final int document;
    private final YamlLimits limits;
    private final List<Object> path = new ArrayList<>();
    private int values;
    private boolean aliased;
    private final Set<Node> collections = Collections.newSetFromMap(new IdentityHashMap<>());

    NodeConverter(String file, int document, YamlLimits limits) {
        this.file = file;
        this.document = document;
        this.limits = limits;
    }

    JsonNode convert(Node root) {
        return value(root, 0);
    }

    private JsonNode value(Node node, int depth) {
        if (++values > limits.maxValuesPerDocument()) {
            throw error(node, aliased
                    ? "expands to more than " + limits.maxValuesPerDocument()
                            + " values through aliases (refusing a possible alias bomb)"
                    : "holds more than " + limits.maxValuesPerDocument() + " values");
        }
        if (node instanceof ScalarNode scalar) {
            return scalar(scalar);
        }
        // the composer hands an alias over as its anchor's node: a collection seen twice came through one
        aliased |= !collections.add(node);
        if (depth >= limits.maxDepth()) {
            throw error(node, "nested more than " + limits.maxDepth() + " levels deep (a recursive alias?)");
        }
        if (node instanceof SequenceNode seq) {
            requireTag(node, Tag.SEQ);
            ArrayNode array = NODES.arrayNode(seq.getValue().size());
            for (int i = 0; i < seq.getValue().size(); i++) {
                path.add(i);
                array.add(value(seq.getValue().get(i), depth + 1));
                path.remove(path.size() - 1);
            }
            return array;
        }
        requireTag(node, Tag.MAP);
        return mapping((MappingNode) node, depth);
    }

    private ObjectNode mapping(MappingNode map, int depth) {
        ObjectNode object = NODES.objectNode();
        List<Node> merged = new ArrayList<>();
        for (NodeTuple t : map.getValue()) {
            Node keyNode = t.getKeyNode();
            if (isMergeKey(keyNode)) {
                merged.add(t.getValueNode());
                continue;
            }
            String key = key(keyNode);
            if (object.has(key)) {
                path.add(key);
                try {
                    throw error(keyNode, "duplicate key \"" + key + "\"");
                } finally {
                    path.remove(path.size() - 1);
                }
            }
            path.add(key);
            object.set(key, value(t.getValueNode(), depth + 1));
            path.remove(path.size() - 1);
        }
        for (Node source : merged) {
            merge(object, source, depth);
        }
        return object;
    }

    /** Keys written in the mapping win over merged ones; among merged mappings the first wins. */
    private void merge(ObjectNode into, Node source, int depth) {
        List<Node> sources = new ArrayList<>();
        if (source instanceof MappingNode) {
            sources.add(source);
        } else if (source instanceof SequenceNode seq && seq.getValue().stream().allMatch(MappingNode.class::isInstance)) {
            sources.addAll(seq.getValue());
        } else {
            throw error(source, "a merge key (<<) needs a mapping or a list of mappings");
        }
        for (Node s : sources) {
            JsonNode m = value(s, depth + 1);
            for (Iterator<Map.Entry<String, JsonNode>> it = m.fields(); it.hasNext();) {
                Map.Entry<String, JsonNode> e = it.next();
                if (!into.has(e.getKey())) {
                    into.set(e.getKey(), e.getValue());
                }
            }
        }
    }

    private static boolean isMergeKey(Node key) {
        return key instanceof ScalarNode s && "<<".equals(s.getValue())
                && (s.getTag().equals(YamlDocuments.PLAIN) || s.getTag().equals(MERGE));
    }

    /** JSON keys are strings; Go turns YAML 1.1 numbers and booleans used as keys into their text. */
    private String key(Node node) {
        if (!(node instanceof ScalarNode scalar)) {
            throw error(node, "a mapping key must be a string, not a " + (node instanceof MappingNode ? "mapping" : "list"));
        }
        JsonNode k = scalar(scalar);
        if (k.isNull()) {
            throw error(node, "a mapping key must not be null");
        }
        if (k instanceof GoScalars.GoFloatNode f) {
            String s = GoScalars.formatFloat32(f.doubleValue());
            return switch (s) {
                case "+Inf" -> ".inf";
                case "-Inf" -> "-.inf";
                case "NaN" -> ".nan";
                default -> s;
            };
        }
        return k.asText();
    }

    private JsonNode scalar(ScalarNode node) {
        Tag tag = node.getTag();
        String text = node.getValue();
        if (tag.equals(YamlDocuments.PLAIN)) {
            return GoScalars.resolvePlain(text);
        }
        if (tag.equals(Tag.STR) || tag.equals(TIMESTAMP)) {
            return TextNode.valueOf(text);
        }
        if (tag.equals(Tag.BINARY)) {
            // kept as base64 text: the fields that take binary (Secret data) expect exactly that
            return TextNode.valueOf(text.replaceAll("\\s", ""));
        }
        JsonNode resolved = GoScalars.resolvePlain(text.trim());
        if (tag.equals(Tag.INT) && resolved.isIntegralNumber()) {
            return resolved;
        }
        if (tag.equals(Tag.FLOAT) && resolved.isNumber()) {
            return resolved.isIntegralNumber() ? new GoScalars.GoFloatNode(resolved.doubleValue()) : resolved;
        }
        if (tag.equals(Tag.BOOL) && resolved instanceof BooleanNode) {
            return resolved;
        }
        if (tag.equals(Tag.NULL) && resolved instanceof NullNode) {
            return resolved;
        }
        if (tag.equals(Tag.INT) || tag.equals(Tag.FLOAT) || tag.equals(Tag.BOOL) || tag.equals(Tag.NULL)) {
            throw error(node, "cannot read \"" + text + "\" as " + shortTag(tag));
        }
        throw error(node, "unsupported YAML tag " + shortTag(tag));
    }

    private void requireTag(Node node, Tag expected) {
        if (!node.getTag().equals(expected)) {
            throw error(node, "unsupported YAML tag " + shortTag(node.getTag()));
        }
    }

    private static String shortTag(Tag tag) {
        String v = tag.getValue();
        return v.startsWith(Tag.PREFIX) ? "!!" + v.substring(Tag.PREFIX.length()) : v;
    }

    private InvalidManifestException error(Node node, String reason) {
        return new InvalidManifestException(file, document, FieldPaths.line(node), FieldPaths.render(path), reason);
    }
}
