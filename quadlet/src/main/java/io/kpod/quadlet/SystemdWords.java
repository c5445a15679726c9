package io.kpod.quadlet;

import java.util.ArrayList;
import java.util.List;

/**
 * Splits and quotes words as systemd does for unit file values: {@code strv} lists such as
 * {@code WantedBy=}, and command lines such as {@code ExecStart=} with C escapes.
 */
public final class SystemdWords {
    private static final String SEPARATORS = " \t\n\r";

    private SystemdWords() {
    }

    /** How to treat backslashes and quotes while splitting. */
    public enum Mode {
        /** As systemd's config_parse_strv: quotes removed, backslashes kept as they are. */
        STRV(false, true, false),
        /** As an Exec= line: quotes removed, C escapes decoded, a trailing backslash or open quote tolerated. */
        ARGS(true, false, true);

        private final boolean cUnescape;
        private final boolean retainEscape;
        private final boolean relax;

        Mode(boolean cUnescape, boolean retainEscape, boolean relax) {
            this.cUnescape = cUnescape;
            this.retainEscape = retainEscape;
            this.relax = relax;
        }
    }

    /** Splits {@code text} into words; throws IllegalArgumentException on a bad escape or quote. */
    public static List<String> split(String text, Mode mode) {
        List<String> words = new ArrayList<>();
        int n = text.length();
        int i = 0;
        while (true) {
            while (i < n && SEPARATORS.indexOf(text.charAt(i)) >= 0) {
                i++;
            }
            if (i >= n) {
                return words;
            }
            StringBuilder word = new StringBuilder();
            char quote = 0;
            while (i < n) {
                char c = text.charAt(i);
                if (quote == 0 && SEPARATORS.indexOf(c) >= 0) {
                    break;
                }
                if (c == '\\' && !mode.retainEscape) {
                    i = unescape(text, i + 1, word, mode);
                } else if (quote != 0 && c == quote) {
                    quote = 0;
                    i++;
                } else if (quote == 0 && (c == '"' || c == '\'')) {
                    quote = c;
                    i++;
                } else {
                    word.append(c);
                    i++;
                }
            }
            if (quote != 0 && !mode.relax) {
                throw new IllegalArgumentException("unbalanced quotes");
            }
            words.add(word.toString());
        }
    }

    private static int unescape(String text, int at, StringBuilder out, Mode mode) {
        if (at >= text.length()) {
            if (mode.relax) {
                return at;
            }
            throw new IllegalArgumentException("unbalanced escape");
        }
        if (!mode.cUnescape) {
            out.append(text.charAt(at));
            return at + 1;
        }
        return at + CEscapes.decodeOne(text, at, out);
    }

    /** Joins words into one command line, quoting those systemd would otherwise split or unescape. */
    public static String join(List<String> words) {
        StringBuilder line = new StringBuilder();
        for (String word : words) {
            if (line.length() > 0) {
                line.append(' ');
            }
            if (word.isEmpty()) {
                line.append("\"\"");
            } else if (needsQuoting(word)) {
                line.append('"');
                CEscapes.encode(word, line);
                line.append('"');
            } else {
                line.append(word);
            }
        }
        return line.toString();
    }

    private static boolean needsQuoting(String word) {
        for (int i = 0; i < word.length(); i++) {
            char c = word.charAt(i);
            if (c <= 128 && (Character.isWhitespace(c) || Character.isISOControl(c)
                    || c == '"' || c == '\'' || c == '\\')) {
                return true;
            }
        }
        return false;
    }
}
