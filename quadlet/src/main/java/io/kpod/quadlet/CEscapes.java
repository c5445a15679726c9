package io.kpod.quadlet;

/** C-style escapes as systemd reads and writes them inside command lines. */
final class CEscapes {
    private CEscapes() {
    }

    /**
     * Decodes the escape whose first character (after the backslash) is at {@code at}, appends the
     * character to {@code out} and returns how many characters it used.
     */
    static int decodeOne(String text, int at, StringBuilder out) {
        char c = text.charAt(at);
        switch (c) {
            case 'a': out.append('\u0007'); return 1;
            case 'b': out.append('\b'); return 1;
            case 'f': out.append('\f'); return 1;
            case 'n': out.append('\n'); return 1;
            case 'r': out.append('\r'); return 1;
            case 't': out.append('\t'); return 1;
            case 'v': out.append('\u000b'); return 1;
            case '\\': out.append('\\'); return 1;
            case '"': out.append('"'); return 1;
            case '\'': out.append('\''); return 1;
            case 's': out.append(' '); return 1;
            case 'x': return 1 + codePoint(text, at + 1, 2, 16, 0xff, out);
            case 'u': return 1 + codePoint(text, at + 1, 4, 16, 0xffff, out);
            case 'U': return 1 + codePoint(text, at + 1, 8, 16, Character.MAX_CODE_POINT, out);
            default:
                if (c >= '0' && c <= '7') {
                    return codePoint(text, at, 3, 8, 0xff, out);
                }
                throw new IllegalArgumentException("unsupported escape sequence '\\" + c + "'");
        }
    }

    private static int codePoint(String text, int from, int digits, int radix, int max, StringBuilder out) {
        if (from + digits > text.length()) {
            throw new IllegalArgumentException("truncated escape sequence");
        }
        long value = 0;
        for (int i = from; i < from + digits; i++) {
            int d = Character.digit(text.charAt(i), radix);
            if (d < 0) {
                throw new IllegalArgumentException("invalid escape sequence at '" + text.substring(from - 1) + "'");
            }
            value = value * radix + d;
        }
        if (value == 0 || value > max) {
            throw new IllegalArgumentException("escape sequence out of range");
        }
        out.appendCodePoint((int) value);
        return digits;
    }

    /** Appends {@code word} escaped for use between double quotes. */
    static void encode(String word, StringBuilder out) {
        for (int i = 0; i < word.length(); i++) {
            char c = word.charAt(i);
            switch (c) {
                case '\u0007' -> out.append("\\a");
                case '\b' -> out.append("\\b");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                case '\u000b' -> out.append("\\v");
                case '\f' -> out.append("\\f");
                case '\\' -> out.append("\\\\");
                case '"' -> out.append("\\\"");
                default -> {
                    if (c <= 128 && Character.isISOControl(c)) {
                        out.append(String.format("\\x%02x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
    }
}
