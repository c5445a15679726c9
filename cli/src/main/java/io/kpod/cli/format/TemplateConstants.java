package io.kpod.cli.format;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.BigIntegerNode;
import com.fasterxml.jackson.databind.node.DoubleNode;
import com.fasterxml.jackson.databind.node.LongNode;
import com.fasterxml.jackson.databind.node.TextNode;
import io.kpod.cli.format.TemplateLexer.Token;
import io.kpod.spec.KpodException;
import java.math.BigInteger;
import java.util.function.Function;

/** Go template constants: interpreted and raw strings, character constants, integers in any base, floats. */
final class TemplateConstants {
    private TemplateConstants() {
    }

    static TemplateNodes.ConstArg constant(Token t, Function<String, KpodException> error) {
        String s = t.text();
        JsonNode v = switch (t.kind()) {
            case STRING -> TextNode.valueOf(GoStrings.unquote(s.substring(1, s.length() - 1), error));
            case RAW_STRING -> TextNode.valueOf(s.substring(1, s.length() - 1).replace("\r", ""));
            case CHAR -> {
                String c = GoStrings.unquote(s.substring(1, s.length() - 1), error);
                if (c.codePointCount(0, c.length()) != 1) {
                    throw error.apply("malformed character constant: " + s);
                }
                yield LongNode.valueOf(c.codePointAt(0));
            }
            default -> number(s, error);
        };
        return new TemplateNodes.ConstArg(t.pos(), s, v);
    }

    private static JsonNode number(String s, Function<String, KpodException> error) {
        String t = s.replace("_", "");
        boolean neg = t.startsWith("-");
        String body = t.startsWith("-") || t.startsWith("+") ? t.substring(1) : t;
        String lower = body.toLowerCase(java.util.Locale.ROOT);
        try {
            BigInteger v = null;
            if (lower.startsWith("0x") && !lower.contains("p")) {
                v = new BigInteger(lower.substring(2), 16);
            } else if (lower.startsWith("0o")) {
                v = new BigInteger(lower.substring(2), 8);
            } else if (lower.startsWith("0b")) {
                v = new BigInteger(lower.substring(2), 2);
            } else if (lower.matches("0[0-7]+")) {
                v = new BigInteger(lower.substring(1), 8);
            } else if (lower.matches("[0-9]+")) {
                v = new BigInteger(lower);
            }
            if (v != null) {
                v = neg ? v.negate() : v;
                if (v.bitLength() > 64 || (v.signum() < 0 && v.bitLength() > 63)) {
                    throw error.apply("integer overflow: " + GoFmt.quote(s));
                }
                return v.bitLength() < 64 ? LongNode.valueOf(v.longValue()) : BigIntegerNode.valueOf(v);
            }
            if (lower.matches("([0-9]+\\.?[0-9]*|\\.[0-9]+)(e[+-]?[0-9]+)?")) {
                double d = Double.parseDouble(body);
                return DoubleNode.valueOf(neg ? -d : d);
            }
        } catch (NumberFormatException e) {
            // falls through to Go's message
        }
        throw error.apply("bad number syntax: " + GoFmt.quote(s));
    }
}
