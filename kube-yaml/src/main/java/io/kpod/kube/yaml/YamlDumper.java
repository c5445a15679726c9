package io.kpod.kube.yaml;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.snakeyaml.engine.v2.api.DumpSettings;
import org.snakeyaml.engine.v2.api.lowlevel.Present;
import org.snakeyaml.engine.v2.api.lowlevel.Serialize;
import org.snakeyaml.engine.v2.common.FlowStyle;
import org.snakeyaml.engine.v2.common.ScalarStyle;
import org.snakeyaml.engine.v2.nodes.MappingNode;
import org.snakeyaml.engine.v2.nodes.Node;
import org.snakeyaml.engine.v2.nodes.NodeTuple;
import org.snakeyaml.engine.v2.nodes.ScalarNode;
import org.snakeyaml.engine.v2.nodes.SequenceNode;
import org.snakeyaml.engine.v2.nodes.Tag;
import org.snakeyaml.engine.v2.schema.CoreSchema;

/**
 * JSON trees (fabric8's serialization, in its field order) to block YAML that Go readers read
 * back to the same values: every string that YAML 1.1 or 1.2 would take for a number, boolean,
 * null or date ({@code "0644"}, {@code "yes"}, {@code "1.0"}, {@code ""}) is double-quoted,
 * multi-line strings become literal blocks, and no tags are written.
 */
final class YamlDumper {
    private final DumpSettings settings = DumpSettings.builder()
            .setDefaultFlowStyle(FlowStyle.BLOCK)
            .setIndent(2)
            .setSplitLines(false)
            .setSchema(new CoreSchema())
            .build();

    String dump(List<JsonNode> documents) {
        StringBuilder out = new StringBuilder();
        for (JsonNode doc : documents) {
            if (out.length() > 0) {
                out.append("---\n");
            }
            Serialize serialize = new Serialize(settings);
            out.append(new Present(settings).emitToString(serialize.serializeOne(node(doc)).iterator()));
        }
        return out.toString();
    }

    private Node node(JsonNode v) {
        if (v.isObject()) {
            List<NodeTuple> tuples = new ArrayList<>(v.size());
            for (Iterator<Map.Entry<String, JsonNode>> it = v.fields(); it.hasNext();) {
                Map.Entry<String, JsonNode> e = it.next();
                tuples.add(new NodeTuple(string(e.getKey()), node(e.getValue())));
            }
            return new MappingNode(Tag.MAP, tuples, tuples.isEmpty() ? FlowStyle.FLOW : FlowStyle.BLOCK);
        }
        if (v.isArray()) {
            List<Node> items = new ArrayList<>(v.size());
            v.forEach(item -> items.add(node(item)));
            return new SequenceNode(Tag.SEQ, items, items.isEmpty() ? FlowStyle.FLOW : FlowStyle.BLOCK);
        }
        if (v.isNull() || v.isMissingNode()) {
            return new ScalarNode(Tag.NULL, "null", ScalarStyle.PLAIN);
        }
        if (v.isBoolean()) {
            return new ScalarNode(Tag.BOOL, v.asText(), ScalarStyle.PLAIN);
        }
        if (v.isIntegralNumber()) {
            return new ScalarNode(Tag.INT, v.bigIntegerValue().toString(), ScalarStyle.PLAIN);
        }
        if (v.isNumber()) {
            return new ScalarNode(Tag.FLOAT, floatText(v), ScalarStyle.PLAIN);
        }
        return string(v.isTextual() ? v.textValue() : v.asText());
    }

    private static Node string(String s) {
        ScalarStyle style;
        if (GoScalars.needsQuotes(s)) {
            style = ScalarStyle.DOUBLE_QUOTED;
        } else if (s.indexOf('\n') >= 0) {
            style = ScalarStyle.LITERAL; // the emitter falls back to quotes when a literal block cannot hold it
        } else {
            style = ScalarStyle.PLAIN;
        }
        return new ScalarNode(Tag.STR, s, style);
    }

    private static String floatText(JsonNode v) {
        double d = v.doubleValue();
        if (Double.isNaN(d)) {
            return ".nan";
        }
        if (Double.isInfinite(d)) {
            return d > 0 ? ".inf" : "-.inf";
        }
        return v.isBigDecimal() ? v.decimalValue().toString() : Double.toString(d);
    }
}
