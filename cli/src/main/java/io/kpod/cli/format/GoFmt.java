package io.kpod.cli.format;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

/** Go's fmt package applied to JSON values: %v printing, Sprint, Sprintln and Sprintf. */
final class GoFmt {
    private GoFmt() {
    }

    /** True for numbers that hold an integer; integral floats count, as the CLI's numbers are Go ints. */
    static boolean isIntegral(JsonNode n) {
        if (!n.isNumber()) {
            return false;
        }
        if (n.isIntegralNumber()) {
            return true;
        }
        double d = n.doubleValue();
        return !Double.isInfinite(d) && d == Math.rint(d) && Math.abs(d) < 1e21;
    }

    static String integerText(JsonNode n) {
        if (n.isIntegralNumber()) {
            return n.bigIntegerValue().toString();
        }
        return new java.math.BigDecimal(n.doubleValue()).toBigInteger().toString();
    }

    /** The Go type a JSON-decoded value would have, for fmt's error annotations and template errors. */
    static String typeName(JsonNode n) {
        if (n == null || n.isMissingNode() || n.isNull()) {
            return "<nil>";
        }
        if (n.isTextual()) {
            return "string";
        }
        if (n.isBoolean()) {
            return "bool";
        }
        if (n.isNumber()) {
            return n.isIntegralNumber() ? "int" : "float64";
        }
        if (n.isArray()) {
            return "[]interface {}";
        }
        if (n.isObject()) {
            return "map[string]interface {}";
        }
        return "[]uint8";
    }

    /** fmt's %v for a value nested in a composite or passed to print: nil prints as {@code <nil>}. */
    static String value(JsonNode n) {
        return verb(n, 'v', new Spec());
    }

    /** Sorted keys, as fmt prints maps. */
    static List<String> sortedKeys(JsonNode obj) {
        List<String> keys = new ArrayList<>();
        obj.fieldNames().forEachRemaining(keys::add);
        keys.sort(null);
        return keys;
    }

    /** fmt.Sprint: operands joined, with a space between two operands when neither is a string. */
    static String sprint(List<JsonNode> args) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < args.size(); i++) {
            JsonNode a = args.get(i);
            if (i > 0 && !a.isTextual() && !args.get(i - 1).isTextual()) {
                sb.append(' ');
            }
            sb.append(value(a));
        }
        return sb.toString();
    }

    /** fmt.Sprintln: operands always space-separated and a newline appended. */
    static String sprintln(List<JsonNode> args) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < args.size(); i++) {
            if (i > 0) {
                sb.append(' ');
            }
            sb.append(value(args.get(i)));
        }
        return sb.append('\n').toString();
    }

    /** Flags, width and precision of one directive. */
    static final class Spec {
        boolean minus;
        boolean plus;
        boolean sharp;
        boolean space;
        boolean zero;
        int width = -1;
        int prec = -1;
    }

    /** fmt.Sprintf with the common verbs, including Go's %!verb(type=value) annotations. */
    static String sprintf(String format, List<JsonNode> args) {
        StringBuilder out = new StringBuilder();
        int argi = 0;
        int i = 0;
        int n = format.length();
        while (i < n) {
            char c = format.charAt(i);
            if (c != '%') {
                out.append(c);
                i++;
                continue;
            }
            i++;
            if (i >= n) {
                out.append("%!(NOVERB)");
                break;
            }
            Spec spec = new Spec();
            for (; i < n; i++) {
                char f = format.charAt(i);
                if (f == '-') {
                    spec.minus = true;
                } else if (f == '+') {
                    spec.plus = true;
                } else if (f == '#') {
                    spec.sharp = true;
                } else if (f == ' ') {
                    spec.space = true;
                } else if (f == '0') {
                    spec.zero = true;
                } else {
                    break;
                }
            }
            if (i < n && format.charAt(i) == '*') {
                i++;
                spec.width = argi < args.size() && isIntegral(args.get(argi)) ? args.get(argi++).intValue() : -1;
            } else {
                int start = i;
                while (i < n && Character.isDigit(format.charAt(i))) {
                    i++;
                }
                if (i > start) {
                    spec.width = Integer.parseInt(format.substring(start, i));
                }
            }
            if (i < n && format.charAt(i) == '.') {
                i++;
                if (i < n && format.charAt(i) == '*') {
                    i++;
                    spec.prec = argi < args.size() && isIntegral(args.get(argi)) ? args.get(argi++).intValue() : 0;
                } else {
                    int start = i;
                    while (i < n && Character.isDigit(format.charAt(i))) {
                        i++;
                    }
                    spec.prec = i > start ? Integer.parseInt(format.substring(start, i)) : 0;
                }
            }
            if (i >= n) {
                out.append("%!(NOVERB)");
                break;
            }
            char verb = format.charAt(i++);
            if (verb == '%') {
                out.append('%');
                continue;
            }
            if (argi >= args.size()) {
                out.append("%!").append(verb).append("(MISSING)");
                continue;
            }
            out.append(pad(verb(args.get(argi++), verb, spec), spec, verb));
        }
        if (argi < args.size()) {
            out.append("%!(EXTRA ");
            for (int k = argi; k < args.size(); k++) {
                if (k > argi) {
                    out.append(", ");
                }
                out.append(typeName(args.get(k))).append('=').append(value(args.get(k)));
            }
            out.append(')');
        }
        return out.toString();
    }

    private static String pad(String s, Spec spec, char verb) {
        int len = s.codePointCount(0, s.length());
        if (spec.width < 0 || len >= spec.width) {
            return s;
        }
        String fill = " ".repeat(spec.width - len);
        if (spec.minus) {
            return s + fill;
        }
        if (spec.zero && "dfeEgGxXob".indexOf(verb) >= 0) {
            int signEnd = (s.startsWith("-") || s.startsWith("+")) ? 1 : 0;
            return s.substring(0, signEnd) + "0".repeat(spec.width - len) + s.substring(signEnd);
        }
        return fill + s;
    }

    private static String bad(JsonNode n, char verb) {
        if (n.isNull() || n.isMissingNode()) {
            return "%!" + verb + "(<nil>)";
        }
        return "%!" + verb + "(" + typeName(n) + "=" + value(n) + ")";
    }

    /** One value under one verb, without width padding. */
    static String verb(JsonNode n, char verb, Spec spec) {
        if (n == null || n.isMissingNode() || n.isNull()) {
            return verb == 'v' ? "<nil>" : "%!" + verb + "(<nil>)";
        }
        if (n.isArray()) {
            StringBuilder sb = new StringBuilder("[");
            Iterator<JsonNode> it = n.elements();
            boolean first = true;
            while (it.hasNext()) {
                if (!first) {
                    sb.append(' ');
                }
                first = false;
                sb.append(verb(it.next(), verb, spec));
            }
            return sb.append(']').toString();
        }
        if (n.isObject()) {
            StringBuilder sb = new StringBuilder("map[");
            boolean first = true;
            for (String k : sortedKeys(n)) {
                if (!first) {
                    sb.append(' ');
                }
                first = false;
                sb.append(verb(com.fasterxml.jackson.databind.node.TextNode.valueOf(k), verb, spec))
                        .append(':').append(verb(n.get(k), verb, spec));
            }
            return sb.append(']').toString();
        }
        if (n.isTextual()) {
            return stringVerb(n.textValue(), verb, spec, n);
        }
        if (n.isBoolean()) {
            return verb == 'v' || verb == 't' ? Boolean.toString(n.booleanValue()) : bad(n, verb);
        }
        if (n.isNumber()) {
            return numberVerb(n, verb, spec);
        }
        if (n.isBinary()) {
            return stringVerb(n.asText(), verb, spec, n);
        }
        return n.asText();
    }

    private static String stringVerb(String s, char verb, Spec spec, JsonNode n) {
        switch (verb) {
            case 'v', 's' -> {
                if (spec.prec >= 0 && s.codePointCount(0, s.length()) > spec.prec) {
                    return s.substring(0, s.offsetByCodePoints(0, spec.prec));
                }
                return s;
            }
            case 'q' -> {
                return quote(s);
            }
            case 'x', 'X' -> {
                StringBuilder sb = new StringBuilder();
                for (byte b : s.getBytes(java.nio.charset.StandardCharsets.UTF_8)) {
                    String h = String.format(verb == 'x' ? "%02x" : "%02X", b & 0xff);
                    sb.append(h);
                }
                return sb.toString();
            }
            default -> {
                return bad(n, verb);
            }
        }
    }

    private static String sign(String digits, boolean negative, Spec spec) {
        if (negative) {
            return "-" + digits;
        }
        if (spec.plus) {
            return "+" + digits;
        }
        return spec.space ? " " + digits : digits;
    }

    private static String numberVerb(JsonNode n, char verb, Spec spec) {
        boolean integral = isIntegral(n);
        if (integral && "vdboxXcqU".indexOf(verb) >= 0) {
            java.math.BigInteger v = new java.math.BigInteger(integerText(n));
            boolean neg = v.signum() < 0;
            java.math.BigInteger abs = v.abs();
            String digits;
            switch (verb) {
                case 'b' -> digits = abs.toString(2);
                case 'o' -> digits = (spec.sharp ? "0" : "") + abs.toString(8);
                case 'x' -> digits = (spec.sharp ? "0x" : "") + abs.toString(16);
                case 'X' -> digits = (spec.sharp ? "0X" : "") + abs.toString(16).toUpperCase(java.util.Locale.ROOT);
                case 'c' -> {
                    return new String(Character.toChars(v.intValue()));
                }
                case 'q' -> {
                    return "'" + new String(Character.toChars(v.intValue())) + "'";
                }
                case 'U' -> {
                    return String.format("U+%04X", v.intValue());
                }
                default -> digits = abs.toString();
            }
            if (spec.prec >= 0 && digits.length() < spec.prec) {
                digits = "0".repeat(spec.prec - digits.length()) + digits;
            }
            return sign(digits, neg, spec);
        }
        double d = n.doubleValue();
        char f;
        switch (verb) {
            case 'v', 'g', 'G' -> f = verb == 'G' ? 'G' : 'g';
            case 'e', 'E', 'f', 'F' -> f = verb == 'F' ? 'f' : verb;
            case 'd' -> {
                return sign(new java.math.BigDecimal(Math.abs(d)).toBigInteger().toString(), d < 0, spec);
            }
            default -> {
                return bad(n, verb);
            }
        }
        int prec = spec.prec;
        if (prec < 0 && (f == 'e' || f == 'E' || f == 'f')) {
            prec = 6;
        }
        String s = GoNumbers.format(d, f, prec);
        boolean neg = s.startsWith("-");
        return sign(neg ? s.substring(1) : s, neg, spec);
    }

    /** strconv.Quote: a double-quoted Go string literal with Go's escapes. */
    static String quote(String s) {
        StringBuilder sb = new StringBuilder("\"");
        s.codePoints().forEach(cp -> {
            switch (cp) {
                case 0x07 -> sb.append("\\a");
                case '\b' -> sb.append("\\b");
                case '\f' -> sb.append("\\f");
                case '\n' -> sb.append("\\n");
                case '\r' -> sb.append("\\r");
                case '\t' -> sb.append("\\t");
                case 0x0b -> sb.append("\\v");
                case '\\' -> sb.append("\\\\");
                case '"' -> sb.append("\\\"");
                default -> {
                    if (cp < ' ' || cp == 0x7f) {
                        sb.append(String.format("\\x%02x", cp));
                    } else if (isPrint(cp)) {
                        sb.appendCodePoint(cp);
                    } else if (cp >= 0xD800 && cp <= 0xDFFF) {
                        sb.append("\\ufffd");
                    } else if (cp < 0x10000) {
                        sb.append(String.format("\\u%04x", cp));
                    } else {
                        sb.append(String.format("\\U%08x", cp));
                    }
                }
            }
        });
        return sb.append('"').toString();
    }

    /** unicode.IsPrint: letters, marks, numbers, punctuation, symbols and the ASCII space. */
    static boolean isPrint(int cp) {
        if (cp == ' ') {
            return true;
        }
        switch (Character.getType(cp)) {
            case Character.CONTROL, Character.FORMAT, Character.UNASSIGNED, Character.SURROGATE,
                    Character.PRIVATE_USE, Character.SPACE_SEPARATOR, Character.LINE_SEPARATOR,
                    Character.PARAGRAPH_SEPARATOR -> {
                return false;
            }
            default -> {
                return true;
            }
        }
    }
}
