package io.kpod.cli.format;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.BooleanNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.LongNode;
import com.fasterxml.jackson.databind.node.TextNode;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;

/** Go's builtin template functions plus the ones Podman adds (join, json, lower, pad, split, title, truncate, upper). */
final class TemplateFuncs {
    private TemplateFuncs() {
    }

    /** A function failure; the executor reports it as "error calling NAME: message". */
    static final class FuncError extends RuntimeException {
        private static final long serialVersionUID = 1L;

        FuncError(String message) {
            super(message, null, false, false);
        }
    }

    /** A function with its arity; max -1 means variadic. {@code and}/{@code or} are evaluated lazily by the executor. */
    record Func(int min, int max, Function<List<JsonNode>, JsonNode> impl) {
    }

    static final Map<String, Func> FUNCS = Map.ofEntries(
            Map.entry("and", new Func(1, -1, a -> a.get(a.size() - 1))),
            Map.entry("or", new Func(1, -1, a -> a.get(a.size() - 1))),
            Map.entry("not", new Func(1, 1, a -> BooleanNode.valueOf(!truth(a.get(0))))),
            Map.entry("len", new Func(1, 1, a -> len(a.get(0)))),
            Map.entry("index", new Func(1, -1, TemplateFuncs::index)),
            Map.entry("slice", new Func(1, -1, TemplateFuncs::slice)),
            Map.entry("print", new Func(0, -1, a -> text(GoFmt.sprint(a)))),
            Map.entry("println", new Func(0, -1, a -> text(GoFmt.sprintln(a)))),
            Map.entry("printf", new Func(1, -1, a -> text(GoFmt.sprintf(str(a.get(0)), a.subList(1, a.size()))))),
            Map.entry("eq", new Func(1, -1, TemplateFuncs::eq)),
            Map.entry("ne", new Func(2, 2, a -> BooleanNode.valueOf(!eq(a).booleanValue()))),
            Map.entry("lt", new Func(2, 2, a -> BooleanNode.valueOf(compare(a.get(0), a.get(1)) < 0))),
            Map.entry("le", new Func(2, 2, a -> BooleanNode.valueOf(compare(a.get(0), a.get(1)) <= 0))),
            Map.entry("gt", new Func(2, 2, a -> BooleanNode.valueOf(compare(a.get(0), a.get(1)) > 0))),
            Map.entry("ge", new Func(2, 2, a -> BooleanNode.valueOf(compare(a.get(0), a.get(1)) >= 0))),
            Map.entry("html", new Func(0, -1, a -> text(html(joined(a))))),
            Map.entry("js", new Func(0, -1, a -> text(js(joined(a))))),
            Map.entry("urlquery", new Func(0, -1, a -> text(urlquery(joined(a))))),
            Map.entry("join", new Func(2, 2, TemplateFuncs::join)),
            Map.entry("json", new Func(1, 1, a -> text(JsonOutput.templateJson(a.get(0))))),
            Map.entry("lower", new Func(1, 1, a -> text(str(a.get(0)).toLowerCase(Locale.ROOT)))),
            Map.entry("upper", new Func(1, 1, a -> text(str(a.get(0)).toUpperCase(Locale.ROOT)))),
            Map.entry("title", new Func(1, 1, a -> text(GoStrings.title(str(a.get(0)))))),
            Map.entry("pad", new Func(3, 3, TemplateFuncs::pad)),
            Map.entry("split", new Func(2, 2, TemplateFuncs::split)),
            Map.entry("truncate", new Func(2, 2, TemplateFuncs::truncate)));

    private static JsonNode text(String s) {
        return TextNode.valueOf(s);
    }

    /** The string form of an argument; Go would reject non-strings, kpod prints them instead. */
    static String str(JsonNode n) {
        if (n == null || n.isMissingNode() || n.isNull()) {
            return "";
        }
        return n.isTextual() ? n.textValue() : GoFmt.value(n);
    }

    private static int integer(JsonNode n, String what) {
        if (!GoFmt.isIntegral(n)) {
            throw new FuncError("cannot index slice/array with type " + GoFmt.typeName(n));
        }
        return n.intValue();
    }

    /** Go's truth: false, 0, "", nil and empty collections are false. */
    static boolean truth(JsonNode n) {
        if (n == null || n.isMissingNode() || n.isNull()) {
            return false;
        }
        if (n.isBoolean()) {
            return n.booleanValue();
        }
        if (n.isNumber()) {
            return n.doubleValue() != 0 || (n.isIntegralNumber() && n.bigIntegerValue().signum() != 0);
        }
        if (n.isTextual()) {
            return !n.textValue().isEmpty();
        }
        if (n.isContainerNode()) {
            return !n.isEmpty();
        }
        return true;
    }

    private static JsonNode len(JsonNode n) {
        if (n.isTextual()) {
            return LongNode.valueOf(n.textValue().getBytes(StandardCharsets.UTF_8).length);
        }
        if (n.isContainerNode()) {
            return LongNode.valueOf(n.size());
        }
        throw new FuncError("len of type " + GoFmt.typeName(n));
    }

    private static JsonNode index(List<JsonNode> a) {
        JsonNode item = a.get(0);
        for (JsonNode idx : a.subList(1, a.size())) {
            if (item.isMissingNode() || item.isNull()) {
                throw new FuncError("index of untyped nil");
            }
            if (item.isArray() || item.isTextual()) {
                int i = integer(idx, "index");
                int size = item.isArray() ? item.size() : item.textValue().length();
                if (i < 0 || i >= size) {
                    throw new FuncError("index out of range: " + i);
                }
                item = item.isArray() ? item.get(i)
                        : LongNode.valueOf(item.textValue().getBytes(StandardCharsets.UTF_8)[i] & 0xff);
            } else if (item.isObject()) {
                JsonNode v = item.get(str(idx));
                // Go returns the map's zero value; Podman's indexed maps (labels, annotations) hold strings
                item = v == null ? TextNode.valueOf("") : v;
            } else {
                throw new FuncError("can't index item of type " + GoFmt.typeName(item));
            }
        }
        return item;
    }

    private static JsonNode slice(List<JsonNode> a) {
        JsonNode item = a.get(0);
        if (a.size() > 3) {
            throw new FuncError("too many slice indexes: " + (a.size() - 1));
        }
        int size;
        if (item.isArray()) {
            size = item.size();
        } else if (item.isTextual()) {
            size = item.textValue().length();
        } else {
            throw new FuncError("can't slice item of type " + GoFmt.typeName(item));
        }
        int from = a.size() > 1 ? integer(a.get(1), "slice") : 0;
        int to = a.size() > 2 ? integer(a.get(2), "slice") : size;
        if (from < 0 || from > size) {
            throw new FuncError("index out of range: " + from);
        }
        if (to < from || to > size) {
            throw new FuncError("index out of range: " + to);
        }
        if (item.isTextual()) {
            return text(item.textValue().substring(from, to));
        }
        ArrayNode out = JsonNodeFactory.instance.arrayNode();
        for (int i = from; i < to; i++) {
            out.add(item.get(i));
        }
        return out;
    }

    private enum Kind { NIL, BOOL, NUMBER, STRING, OTHER }

    private static Kind kind(JsonNode n) {
        if (n == null || n.isMissingNode() || n.isNull()) {
            return Kind.NIL;
        }
        if (n.isBoolean()) {
            return Kind.BOOL;
        }
        if (n.isNumber()) {
            return Kind.NUMBER;
        }
        return n.isTextual() ? Kind.STRING : Kind.OTHER;
    }

    private static boolean numbersEqual(JsonNode x, JsonNode y) {
        if (x.isIntegralNumber() && y.isIntegralNumber()) {
            return x.bigIntegerValue().equals(y.bigIntegerValue());
        }
        return x.doubleValue() == y.doubleValue();
    }

    private static JsonNode eq(List<JsonNode> a) {
        if (a.size() < 2) {
            throw new FuncError("missing argument for comparison");
        }
        JsonNode x = a.get(0);
        Kind k1 = kind(x);
        for (JsonNode y : a.subList(1, a.size())) {
            Kind k2 = kind(y);
            if (k1 == Kind.OTHER || k2 == Kind.OTHER) {
                throw new FuncError("non-comparable type " + GoFmt.value(k1 == Kind.OTHER ? x : y) + ": "
                        + GoFmt.typeName(k1 == Kind.OTHER ? x : y));
            }
            if (k1 != k2) {
                if (k1 != Kind.NIL && k2 != Kind.NIL) {
                    throw new FuncError("incompatible types for comparison");
                }
                continue;
            }
            boolean same = switch (k1) {
                case NIL -> true;
                case BOOL -> x.booleanValue() == y.booleanValue();
                case NUMBER -> numbersEqual(x, y);
                default -> x.textValue().equals(y.textValue());
            };
            if (same) {
                return BooleanNode.TRUE;
            }
        }
        return BooleanNode.FALSE;
    }

    private static int compare(JsonNode x, JsonNode y) {
        Kind k1 = kind(x);
        Kind k2 = kind(y);
        if (k1 != Kind.NUMBER && k1 != Kind.STRING || k2 != Kind.NUMBER && k2 != Kind.STRING) {
            throw new FuncError("invalid type for comparison");
        }
        if (k1 != k2) {
            throw new FuncError("incompatible types for comparison");
        }
        if (k1 == Kind.STRING) {
            return x.textValue().compareTo(y.textValue());
        }
        if (x.isIntegralNumber() && y.isIntegralNumber()) {
            return x.bigIntegerValue().compareTo(y.bigIntegerValue());
        }
        return Double.compare(x.doubleValue(), y.doubleValue());
    }

    /** html, js and urlquery take one string or print several operands like fmt.Sprint. */
    private static String joined(List<JsonNode> a) {
        if (a.size() == 1 && a.get(0).isTextual()) {
            return a.get(0).textValue();
        }
        return GoFmt.sprint(a);
    }

    private static String html(String s) {
        StringBuilder sb = new StringBuilder();
        for (char c : s.toCharArray()) {
            switch (c) {
                case '"' -> sb.append("&#34;");
                case '\'' -> sb.append("&#39;");
                case '&' -> sb.append("&amp;");
                case '<' -> sb.append("&lt;");
                case '>' -> sb.append("&gt;");
                case 0 -> sb.append('\uFFFD');
                default -> sb.append(c);
            }
        }
        return sb.toString();
    }

    private static String js(String s) {
        StringBuilder sb = new StringBuilder();
        s.codePoints().forEach(c -> {
            switch (c) {
                case '\\' -> sb.append("\\\\");
                case '\'' -> sb.append("\\'");
                case '"' -> sb.append("\\\"");
                case '<' -> sb.append("\\u003C");
                case '>' -> sb.append("\\u003E");
                case '&' -> sb.append("\\u0026");
                case '=' -> sb.append("\\u003D");
                default -> {
                    if (c < ' ' || !GoFmt.isPrint(c)) {
                        sb.append(String.format("\\u%04X", c));
                    } else {
                        sb.appendCodePoint(c);
                    }
                }
            }
        });
        return sb.toString();
    }

    private static String urlquery(String s) {
        StringBuilder sb = new StringBuilder();
        for (byte b : s.getBytes(StandardCharsets.UTF_8)) {
            int c = b & 0xff;
            if (Character.isLetterOrDigit(c) && c < 0x80 || c == '-' || c == '_' || c == '.' || c == '~') {
                sb.append((char) c);
            } else if (c == ' ') {
                sb.append('+');
            } else {
                sb.append(String.format("%%%02X", c));
            }
        }
        return sb.toString();
    }

    private static JsonNode join(List<JsonNode> a) {
        JsonNode list = a.get(0);
        if (!list.isArray()) {
            return text(str(list));
        }
        List<String> parts = new ArrayList<>();
        Iterator<JsonNode> it = list.elements();
        while (it.hasNext()) {
            parts.add(str(it.next()));
        }
        return text(String.join(str(a.get(1)), parts));
    }

    private static JsonNode pad(List<JsonNode> a) {
        String s = str(a.get(0));
        if (s.isEmpty()) {
            return text(s);
        }
        return text(" ".repeat(Math.max(0, a.get(1).intValue())) + s + " ".repeat(Math.max(0, a.get(2).intValue())));
    }

    private static JsonNode split(List<JsonNode> a) {
        String s = str(a.get(0));
        String sep = str(a.get(1));
        ArrayNode out = JsonNodeFactory.instance.arrayNode();
        if (sep.isEmpty()) {
            s.codePoints().forEach(cp -> out.add(new String(Character.toChars(cp))));
            return out;
        }
        int from = 0;
        while (true) {
            int at = s.indexOf(sep, from);
            if (at < 0) {
                out.add(s.substring(from));
                return out;
            }
            out.add(s.substring(from, at));
            from = at + sep.length();
        }
    }

    private static JsonNode truncate(List<JsonNode> a) {
        String s = str(a.get(0));
        int n = a.get(1).intValue();
        if (s.codePointCount(0, s.length()) < n) {
            return text(s);
        }
        return text(s.substring(0, s.offsetByCodePoints(0, Math.max(0, n))));
    }
}
