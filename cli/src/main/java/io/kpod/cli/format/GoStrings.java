package io.kpod.cli.format;

import io.kpod.spec.KpodException;
import java.util.function.Function;

/** Go string helpers: literal unquoting and strings.Title. */
final class GoStrings {
    private GoStrings() {
    }

    /** Interprets Go escape sequences in the body of a double- or single-quoted literal. */
    static String unquote(String body, Function<String, KpodException> error) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < body.length(); i++) {
            char c = body.charAt(i);
            if (c != '\\') {
                sb.append(c);
                continue;
            }
            if (++i >= body.length()) {
                throw error.apply("invalid syntax");
            }
            char e = body.charAt(i);
            switch (e) {
                case 'a' -> sb.append('\u0007');
                case 'b' -> sb.append('\b');
                case 'f' -> sb.append('\f');
                case 'n' -> sb.append('\n');
                case 'r' -> sb.append('\r');
                case 't' -> sb.append('\t');
                case 'v' -> sb.append('\u000b');
                case '\\', '\'', '"' -> sb.append(e);
                case 'x', 'u', 'U' -> {
                    int len = e == 'x' ? 2 : e == 'u' ? 4 : 8;
                    if (i + len >= body.length()) {
                        throw error.apply("invalid syntax");
                    }
                    try {
                        int cp = Integer.parseInt(body.substring(i + 1, i + 1 + len), 16);
                        sb.appendCodePoint(cp);
                    } catch (RuntimeException ex) {
                        throw error.apply("invalid syntax");
                    }
                    i += len;
                }
                default -> {
                    if (e >= '0' && e <= '7' && i + 2 < body.length()) {
                        try {
                            sb.append((char) Integer.parseInt(body.substring(i, i + 3), 8));
                        } catch (NumberFormatException ex) {
                            throw error.apply("invalid syntax");
                        }
                        i += 2;
                    } else {
                        throw error.apply("invalid syntax");
                    }
                }
            }
        }
        return sb.toString();
    }

    /** strings.Title: upper-cases the first letter of each word; words are split at Go's separators. */
    static String title(String s) {
        StringBuilder sb = new StringBuilder();
        int prev = ' ';
        for (int i = 0; i < s.length(); ) {
            int cp = s.codePointAt(i);
            sb.appendCodePoint(isSeparator(prev) ? Character.toTitleCase(cp) : cp);
            prev = cp;
            i += Character.charCount(cp);
        }
        return sb.toString();
    }

    private static boolean isSeparator(int r) {
        if (r <= 0x7F) {
            if (Character.isLetterOrDigit(r) || r == '_') {
                return false;
            }
            return true;
        }
        if (Character.isLetter(r) || Character.isDigit(r)) {
            return false;
        }
        return Character.isWhitespace(r) || Character.isSpaceChar(r);
    }
}
