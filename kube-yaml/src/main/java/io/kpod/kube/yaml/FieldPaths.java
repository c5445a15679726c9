package io.kpod.kube.yaml;

import com.fasterxml.jackson.core.JsonStreamContext;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonMappingException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;
import org.snakeyaml.engine.v2.nodes.MappingNode;
import org.snakeyaml.engine.v2.nodes.Node;
import org.snakeyaml.engine.v2.nodes.NodeTuple;
import org.snakeyaml.engine.v2.nodes.ScalarNode;
import org.snakeyaml.engine.v2.nodes.SequenceNode;

/**
 * Kubernetes field paths ({@code spec.containers[0].image}, {@code metadata.labels[app]}) built
 * from Jackson's error paths or parser position, and their line in the YAML node tree.
 * A path is a list of segments: a {@link String} is an object field, an {@link Integer} a list
 * index, a {@link MapKey} a key of a map (rendered in brackets, as Kubernetes does).
 */
public final class FieldPaths {
    private static final Pattern IDENTIFIER = Pattern.compile("[A-Za-z_$][A-Za-z0-9_$-]*");

    /** A key of a map-typed field such as {@code labels} or {@code data}. */
    public record MapKey(String key) {
    }

    private FieldPaths() {
    }

    /** {@code spec.containers[0].image}; an empty path renders as the empty string. */
    public static String render(List<?> segments) {
        StringBuilder sb = new StringBuilder();
        for (Object s : segments) {
            if (s instanceof Integer i) {
                sb.append('[').append(i).append(']');
            } else if (s instanceof MapKey k) {
                sb.append('[').append(k.key()).append(']');
            } else {
                String name = String.valueOf(s);
                if (IDENTIFIER.matcher(name).matches()) {
                    sb.append(sb.length() == 0 ? "" : ".").append(name);
                } else {
                    sb.append('[').append(name).append(']');
                }
            }
        }
        return sb.toString();
    }

    /** Segments of the path Jackson attached to a mapping error; entries of maps become {@link MapKey}s. */
    public static List<Object> fromJackson(List<JsonMappingException.Reference> path) {
        List<Object> out = new ArrayList<>(path.size());
        for (JsonMappingException.Reference r : path) {
            if (r.getIndex() >= 0) {
                out.add(r.getIndex());
            } else if (r.getFrom() instanceof Map<?, ?>) {
                out.add(new MapKey(r.getFieldName()));
            } else if (r.getFieldName() != null) {
                out.add(r.getFieldName());
            }
        }
        return out;
    }

    /**
     * Segments leading to the value the parser stands on: the field being read and its
     * ancestors. At the start of an object or array the parser is already inside it, so the
     * field that holds it is found one context up.
     */
    public static List<Object> fromParsingContext(JsonStreamContext context, JsonToken current) {
        JsonStreamContext ctx = context;
        if (ctx != null && (current == JsonToken.START_OBJECT || current == JsonToken.START_ARRAY)) {
            ctx = ctx.getParent();
        }
        List<Object> out = new ArrayList<>();
        for (; ctx != null && !ctx.inRoot(); ctx = ctx.getParent()) {
            if (ctx.inArray()) {
                out.add(Math.max(ctx.getCurrentIndex(), 0));
            } else if (ctx.getCurrentName() != null) {
                out.add(ctx.getCurrentName());
            }
        }
        Collections.reverse(out);
        return out;
    }

    /**
     * 1-based line of the node the path leads to, or of its deepest ancestor present in the
     * tree (values merged in from an alias are found at the mapping that merges them); 0 when
     * the root has no position. For a field the line of its key is given, so that an object or
     * list value still points at the line that names it.
     */
    public static int lineOf(Node root, List<?> segments) {
        Node current = root;
        Node reported = root;
        for (Object s : segments) {
            Optional<Node[]> step = step(current, s);
            if (step.isEmpty()) {
                break;
            }
            reported = step.get()[0];
            current = step.get()[1];
        }
        return line(reported);
    }

    /** The node the path leads to, if every segment is present. */
    public static Optional<Node> find(Node root, List<?> segments) {
        Node current = root;
        for (Object s : segments) {
            Optional<Node[]> step = step(current, s);
            if (step.isEmpty()) {
                return Optional.empty();
            }
            current = step.get()[1];
        }
        return Optional.of(current);
    }

    static int line(Node node) {
        return node.getStartMark().map(m -> m.getLine() + 1).orElse(0);
    }

    /** {key node or item node, value node} for one segment, searched in the mapping's own entries. */
    private static Optional<Node[]> step(Node node, Object segment) {
        if (segment instanceof Integer i) {
            if (node instanceof SequenceNode seq && i >= 0 && i < seq.getValue().size()) {
                Node item = seq.getValue().get(i);
                return Optional.of(new Node[] {item, item});
            }
            return Optional.empty();
        }
        String name = segment instanceof MapKey k ? k.key() : String.valueOf(segment);
        if (node instanceof MappingNode map) {
            for (NodeTuple t : map.getValue()) {
                if (t.getKeyNode() instanceof ScalarNode key && key.getValue().equals(name)) {
                    return Optional.of(new Node[] {key, t.getValueNode()});
                }
            }
        }
        return Optional.empty();
    }
}
