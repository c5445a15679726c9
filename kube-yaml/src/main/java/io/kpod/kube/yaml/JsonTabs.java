package io.kpod.kube.yaml;

/**
 * JSON is YAML, except that JSON pretty-printers indent with tabs and YAML forbids tabs where
 * a token may start. For text that opens as JSON does, tabs outside quoted strings become
 * spaces: the same length, so lines and columns stay true, and no value changes.
 */
final class JsonTabs {
    private JsonTabs() {
    }

    static String untab(String text) {
        int first = 0;
        while (first < text.length() && Character.isWhitespace(text.charAt(first))) {
            first++;
        }
        if (first == text.length() || (text.charAt(first) != '{' && text.charAt(first) != '[')
                || text.indexOf('\t') < 0) {
            return text;
        }
        char[] chars = text.toCharArray();
        char quote = 0;
        for (int i = 0; i < chars.length; i++) {
            char c = chars[i];
            if (quote == 0) {
                if (c == '"' || c == '\'') {
                    quote = c;
                } else if (c == '\t') {
                    chars[i] = ' ';
                }
            } else if (quote == '"' && c == '\\') {
                i++; // an escaped character, possibly a quote
            } else if (c == quote) {
                quote = 0; // in single quotes '' is an escaped quote: closing then reopening is the same
            }
        }
        return new String(chars);
    }
}
