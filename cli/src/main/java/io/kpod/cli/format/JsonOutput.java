package io.kpod.cli.format;

import com.fasterxml.jackson.databind.JsonNode;
import io.kpod.spec.KpodException;
import java.util.Base64;
import java.util.Iterator;
import java.util.Map;

/**
 * JSON text exactly as Go's encoding/json writes it, for {@code --format json} and {@code {{json}}}:
 * Go's string escapes, Go's float forms, and the indentation each Podman command uses.
 * Object members keep the order of the JsonNode (Go writes struct fields in declaration order and
 * sorts map keys, so callers build Go maps with sorted keys).
 */
public final class JsonOutput {
    /** {@code podman ps}, {@code pod ps}, {@code volume ls}, {@code network ls}: MarshalIndent with two spaces. */
    public static final String LIST_INDENT = "  ";
    /** {@code podman images}: MarshalIndent with four spaces. */
    public static final String IMAGES_INDENT = "    ";
    /** {@code podman inspect} and the other inspect commands: an Encoder indenting with five spaces. */
    public static final String INSPECT_INDENT = "     ";

    private JsonOutput() {
    }

    /** json.Marshal: compact, with {@code < > &} escaped as Unicode escapes. */
    public static String marshal(JsonNode value) {
        return encode(value, null, true);
    }

    /** json.MarshalIndent(value, "", indent): HTML-escaped, no trailing newline. */
    public static String marshalIndent(JsonNode value, String indent) {
        return encode(value, indent, true);
    }

    /** What Podman's list commands print for {@code --format json}: MarshalIndent then a newline. */
    public static String list(JsonNode value, String indent) {
        return marshalIndent(value, indent) + "\n";
    }

    /** What {@code podman inspect} prints: an Encoder without HTML escaping, five-space indent, trailing newline. */
    public static String inspect(JsonNode value) {
        return encode(value, INSPECT_INDENT, false) + "\n";
    }

    /** The {@code json} template function of Podman and Docker: compact and without HTML escaping. */
    public static String templateJson(JsonNode value) {
        return encode(value, null, false);
    }

    /**
     * Encodes {@code value}; {@code indent == null} means compact. {@code escapeHtml} mirrors
     * Encoder.SetEscapeHTML.
     */
    public static String encode(JsonNode value, String indent, boolean escapeHtml) {
        StringBuilder sb = new StringBuilder();
        write(sb, value, indent, escapeHtml, 0);
        return sb.toString();
    }

    private static void newline(StringBuilder sb, String indent, int depth) {
        sb.append('\n');
        sb.append(indent.repeat(depth));
    }

    private static void write(StringBuilder sb, JsonNode n, String indent, boolean html, int depth) {
        if (n == null || n.isNull() || n.isMissingNode()) {
            sb.append("null");
        } else if (n.isTextual()) {
            string(sb, n.textValue(), html);
        } else if (n.isBoolean()) {
            sb.append(n.booleanValue());
        } else if (n.isIntegralNumber()) {
            sb.append(n.bigIntegerValue());
        } else if (n.isNumber()) {
            double d = n.doubleValue();
            if (Double.isNaN(d) || Double.isInfinite(d)) {
                throw KpodException.invalid("json: unsupported value: " + GoNumbers.format(d, 'g', -1));
            }
            sb.append(GoNumbers.json(d));
        } else if (n.isBinary()) {
            sb.append('"').append(Base64.getEncoder().encodeToString(binary(n))).append('"');
        } else if (n.isArray()) {
            if (n.isEmpty()) {
                sb.append("[]");
                return;
            }
            sb.append('[');
            Iterator<JsonNode> it = n.elements();
            boolean first = true;
            while (it.hasNext()) {
                if (!first) {
                    sb.append(',');
                }
                first = false;
                if (indent != null) {
                    newline(sb, indent, depth + 1);
                }
                write(sb, it.next(), indent, html, depth + 1);
            }
            if (indent != null) {
                newline(sb, indent, depth);
            }
            sb.append(']');
        } else if (n.isObject()) {
            if (n.isEmpty()) {
                sb.append("{}");
                return;
            }
            sb.append('{');
            Iterator<Map.Entry<String, JsonNode>> it = n.fields();
            boolean first = true;
            while (it.hasNext()) {
                Map.Entry<String, JsonNode> e = it.next();
                if (!first) {
                    sb.append(',');
                }
                first = false;
                if (indent != null) {
                    newline(sb, indent, depth + 1);
                }
                string(sb, e.getKey(), html);
                sb.append(indent != null ? ": " : ":");
                write(sb, e.getValue(), indent, html, depth + 1);
            }
            if (indent != null) {
                newline(sb, indent, depth);
            }
            sb.append('}');
        } else {
            string(sb, n.asText(), html);
        }
    }

    private static byte[] binary(JsonNode n) {
        try {
            return n.binaryValue();
        } catch (java.io.IOException e) {
            throw KpodException.internal("cannot read binary JSON value", e);
        }
    }

    private static final char[] HEX = "0123456789abcdef".toCharArray();

    private static void unicodeEscape(StringBuilder sb, int c) {
        sb.append("\\u").append(HEX[(c >> 12) & 0xf]).append(HEX[(c >> 8) & 0xf])
                .append(HEX[(c >> 4) & 0xf]).append(HEX[c & 0xf]);
    }

    /** Go's appendString: short escapes for the common controls, hex escapes for the rest, U+2028/9 always. */
    static void string(StringBuilder sb, String s, boolean html) {
        sb.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> sb.append("\\\"");
                case '\\' -> sb.append("\\\\");
                case '\b' -> sb.append("\\b");
                case '\f' -> sb.append("\\f");
                case '\n' -> sb.append("\\n");
                case '\r' -> sb.append("\\r");
                case '\t' -> sb.append("\\t");
                case '\u2028', '\u2029' -> unicodeEscape(sb, c);
                default -> {
                    if (c < 0x20 || (html && (c == '<' || c == '>' || c == '&'))) {
                        unicodeEscape(sb, c);
                    } else if (Character.isHighSurrogate(c) && i + 1 < s.length()
                            && Character.isLowSurrogate(s.charAt(i + 1))) {
                        sb.append(c).append(s.charAt(++i));
                    } else if (Character.isSurrogate(c)) {
                        // Go replaces invalid UTF-8 with U+FFFD; a lone surrogate is Java's equivalent
                        sb.append("\\ufffd");
                    } else {
                        sb.append(c);
                    }
                }
            }
        }
        sb.append('"');
    }
}
