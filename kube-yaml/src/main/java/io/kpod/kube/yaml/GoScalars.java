package io.kpod.kube.yaml;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.BigIntegerNode;
import com.fasterxml.jackson.databind.node.BooleanNode;
import com.fasterxml.jackson.databind.node.DoubleNode;
import com.fasterxml.jackson.databind.node.IntNode;
import com.fasterxml.jackson.databind.node.LongNode;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.TextNode;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Plain YAML scalars resolved the way Kubernetes' Go tools resolve them (sigs.k8s.io/yaml on
 * go-yaml v2, i.e. YAML 1.1): {@code yes/no/on/off/y/n} are booleans, {@code 0644} is octal 420,
 * {@code 0x1F}, {@code 0b101}, {@code 0o17} and {@code 1_000} are integers. Also the reverse
 * question for dumping: would a Go (or YAML 1.2) reader take this string for something else?
 */
final class GoScalars {
    private static final Pattern FLOAT = Pattern.compile("[-+]?(\\.[0-9]+|[0-9]+(\\.[0-9]*)?)([eE][-+]?[0-9]+)?");
    private static final Pattern DOT_FLOAT = Pattern.compile("\\.[0-9]+([eE][-+]?[0-9]+)?");
    // YAML 1.1 timestamps and sexagesimal numbers: Go reads them as strings today, other readers may not
    private static final Pattern TIMESTAMP_LIKE = Pattern.compile("[0-9]{4}-[0-9]{1,2}-[0-9]{1,2}([Tt ].*)?");
    private static final Pattern SEXAGESIMAL = Pattern.compile("[-+]?[0-9][0-9_]*(:[0-5]?[0-9])+(\\.[0-9_]*)?");
    private static final BigInteger UINT64_MAX = BigInteger.ONE.shiftLeft(64).subtract(BigInteger.ONE);
    private static final Map<String, JsonNode> WORDS = words();

    private GoScalars() {
    }

    private static Map<String, JsonNode> words() {
        Map<String, JsonNode> m = new java.util.HashMap<>();
        for (String s : new String[] {"y", "Y", "yes", "Yes", "YES", "true", "True", "TRUE", "on", "On", "ON"}) {
            m.put(s, BooleanNode.TRUE);
        }
        for (String s : new String[] {"n", "N", "no", "No", "NO", "false", "False", "FALSE", "off", "Off", "OFF"}) {
            m.put(s, BooleanNode.FALSE);
        }
        for (String s : new String[] {"", "~", "null", "Null", "NULL"}) {
            m.put(s, NullNode.instance);
        }
        for (String s : new String[] {".nan", ".NaN", ".NAN"}) {
            m.put(s, new GoFloatNode(Double.NaN));
        }
        for (String s : new String[] {".inf", ".Inf", ".INF", "+.inf", "+.Inf", "+.INF"}) {
            m.put(s, new GoFloatNode(Double.POSITIVE_INFINITY));
        }
        for (String s : new String[] {"-.inf", "-.Inf", "-.INF"}) {
            m.put(s, new GoFloatNode(Double.NEGATIVE_INFINITY));
        }
        return Map.copyOf(m);
    }

    /** The value of an untagged plain scalar. */
    static JsonNode resolvePlain(String in) {
        JsonNode word = WORDS.get(in);
        if (word != null) {
            return word;
        }
        char first = in.charAt(0);
        if (first == '.') {
            return DOT_FLOAT.matcher(in).matches() ? new GoFloatNode(Double.parseDouble(in)) : TextNode.valueOf(in);
        }
        if (first != '+' && first != '-' && (first < '0' || first > '9')) {
            return TextNode.valueOf(in);
        }
        String plain = in.replace("_", "");
        BigInteger i = parseGoInt(plain);
        if (i != null) {
            if (i.bitLength() < 32) {
                return IntNode.valueOf(i.intValue());
            }
            if (i.bitLength() < 64) {
                return LongNode.valueOf(i.longValue());
            }
            if (i.signum() > 0 && i.compareTo(UINT64_MAX) <= 0 && plain.charAt(0) != '+') {
                return BigIntegerNode.valueOf(i);
            }
        }
        if (FLOAT.matcher(plain).matches()) {
            double d = Double.parseDouble(plain);
            if (!Double.isInfinite(d)) {
                return new GoFloatNode(d);
            }
        }
        return TextNode.valueOf(in);
    }

    /** Go's {@code strconv.ParseInt(s, 0, 64)} prefixes: 0x hex, 0o and leading 0 octal, 0b binary. */
    static BigInteger parseGoInt(String s) {
        int pos = 0;
        boolean negative = false;
        if (!s.isEmpty() && (s.charAt(0) == '+' || s.charAt(0) == '-')) {
            negative = s.charAt(0) == '-';
            pos = 1;
        }
        String body = s.substring(pos);
        int radix = 10;
        if (body.length() > 2 && body.charAt(0) == '0') {
            char p = Character.toLowerCase(body.charAt(1));
            if (p == 'x') {
                radix = 16;
                body = body.substring(2);
            } else if (p == 'o') {
                radix = 8;
                body = body.substring(2);
            } else if (p == 'b') {
                radix = 2;
                body = body.substring(2);
            }
        }
        if (radix == 10 && body.length() > 1 && body.charAt(0) == '0') {
            radix = 8;
            body = body.substring(1);
        }
        if (body.isEmpty()) {
            return null;
        }
        for (int i = 0; i < body.length(); i++) {
            if (Character.digit(body.charAt(i), radix) < 0 || body.charAt(i) > 'z') {
                return null;
            }
        }
        BigInteger v = new BigInteger(body, radix);
        v = negative ? v.negate() : v;
        // ParseInt fails beyond int64; only a positive, unsigned value gets another chance (ParseUint)
        if (v.bitLength() >= 64 && (negative || v.compareTo(UINT64_MAX) > 0)) {
            return null;
        }
        return v;
    }

    /**
     * True when a string, written plain, would come back as something other than that string
     * for go-yaml v2, go-yaml v3 or a YAML 1.2 core-schema reader; such strings are quoted on dump.
     */
    static boolean needsQuotes(String s) {
        if (s.isEmpty() || !(resolvePlain(s) instanceof TextNode)) {
            return true;
        }
        String lower = s.toLowerCase(java.util.Locale.ROOT);
        if (WORDS.containsKey(lower) || lower.equals("<<") || lower.equals("=")) {
            return true;
        }
        String plain = s.replace("_", "");
        return parseGoInt(plain) != null || FLOAT.matcher(plain).matches()
                || TIMESTAMP_LIKE.matcher(s).matches() || SEXAGESIMAL.matcher(s).matches()
                || lower.matches("[-+]?(\\.?inf|\\.?nan|infinity)") || lower.matches("[-+]?0x[0-9a-f_]+(\\.[0-9a-f_]*)?(p[-+]?[0-9]+)?");
    }

    /** Go's {@code strconv.FormatFloat(v, 'g', -1, 32)}, used when a float lands in a string field. */
    static String formatFloat32(double v) {
        float f = (float) v;
        if (Float.isNaN(f)) {
            return "NaN";
        }
        if (Float.isInfinite(f)) {
            return f > 0 ? "+Inf" : "-Inf";
        }
        if (f == 0) {
            return Float.floatToRawIntBits(f) < 0 ? "-0" : "0";
        }
        BigDecimal bd = new BigDecimal(Float.toString(Math.abs(f))).stripTrailingZeros();
        String digits = bd.unscaledValue().toString();
        int nd = digits.length();
        int dp = nd - bd.scale(); // position of the decimal point relative to the digits
        int exp = dp - 1;
        StringBuilder sb = new StringBuilder(f < 0 ? "-" : "");
        if (exp < -4 || exp >= 6) { // Go switches to %e at these exponents for shortest 'g'
            sb.append(digits.charAt(0));
            if (nd > 1) {
                sb.append('.').append(digits, 1, nd);
            }
            sb.append('e').append(exp < 0 ? '-' : '+');
            int a = Math.abs(exp);
            if (a < 10) {
                sb.append('0');
            }
            return sb.append(a).toString();
        }
        if (dp <= 0) {
            sb.append("0.").append("0".repeat(-dp)).append(digits);
        } else if (dp >= nd) {
            sb.append(digits).append("0".repeat(dp - nd));
        } else {
            sb.append(digits, 0, dp).append('.').append(digits, dp, nd);
        }
        return sb.toString();
    }

    /** A YAML float whose text, when coerced into a string field, is formatted as Go formats it. */
    static final class GoFloatNode extends DoubleNode {
        private static final long serialVersionUID = 1L;

        GoFloatNode(double v) {
            super(v);
        }

        @Override
        public String asText() {
            return formatFloat32(doubleValue());
        }
    }
}
