package io.kpod.cli.format;

import java.util.ArrayList;
import java.util.List;

/** Splits a Go template into text and action tokens, applying the {@code {{-} and {@code -}}} trim markers. */
final class TemplateLexer {
    enum Kind { TEXT, LEFT, RIGHT, SPACE, IDENT, FIELD, DOT, VARIABLE, STRING, RAW_STRING, CHAR, NUMBER, PIPE,
        LPAREN, RPAREN, DECLARE, ASSIGN, COMMA, EOF }

    record Token(Kind kind, String text, int pos) {
    }

    /** Thrown with Go's lexer message; the parser adds the template name and line. */
    static final class LexError extends RuntimeException {
        private static final long serialVersionUID = 1L;
        final int pos;

        LexError(String message, int pos) {
            super(message, null, false, false);
            this.pos = pos;
        }
    }

    private final String in;
    private final List<Token> out = new ArrayList<>();
    private int pos;

    private TemplateLexer(String in) {
        this.in = in;
    }

    static List<Token> lex(String text) {
        TemplateLexer l = new TemplateLexer(text);
        l.run();
        return l.out;
    }

    private static boolean isSpace(char c) {
        return c == ' ' || c == '\t' || c == '\r' || c == '\n';
    }

    private static boolean isAlnum(char c) {
        return c == '_' || Character.isLetterOrDigit(c);
    }

    private void run() {
        boolean trimNext = false;
        while (pos <= in.length()) {
            int open = in.indexOf("{{", pos);
            int textEnd = open < 0 ? in.length() : open;
            int textStart = pos;
            if (trimNext) {
                while (textStart < textEnd && isSpace(in.charAt(textStart))) {
                    textStart++;
                }
            }
            boolean leftTrim = open >= 0 && open + 3 < in.length() && in.charAt(open + 2) == '-'
                    && isSpace(in.charAt(open + 3));
            int te = textEnd;
            if (leftTrim) {
                while (te > textStart && isSpace(in.charAt(te - 1))) {
                    te--;
                }
            }
            if (te > textStart) {
                out.add(new Token(Kind.TEXT, in.substring(textStart, te), textStart));
            }
            if (open < 0) {
                break;
            }
            int p = open + 2 + (leftTrim ? 2 : 0);
            int q = p;
            while (q < in.length() && isSpace(in.charAt(q))) {
                q++;
            }
            if (in.startsWith("/*", q)) {
                trimNext = comment(open, q);
                continue;
            }
            out.add(new Token(Kind.LEFT, "{{", open));
            pos = p;
            trimNext = insideAction();
        }
        out.add(new Token(Kind.EOF, "", in.length()));
    }

    /** Skips {@code {{/* ... *}{@code /}}}; returns whether a right trim marker ends it. */
    private boolean comment(int open, int start) {
        int end = in.indexOf("*/", start + 2);
        if (end < 0) {
            throw new LexError("unclosed comment", open);
        }
        int p = end + 2;
        boolean trim = false;
        if (p < in.length() && isSpace(in.charAt(p)) && in.startsWith("-}}", p + 1)) {
            trim = true;
            p += 4;
        } else if (in.startsWith("}}", p)) {
            p += 2;
        } else {
            throw new LexError("comment ends before closing delimiter", open);
        }
        pos = p;
        return trim;
    }

    private boolean atRightTrim() {
        return pos < in.length() && isSpace(in.charAt(pos)) && in.startsWith("-}}", pos + 1);
    }

    /** Lexes one action up to its right delimiter; returns whether it trims the following text. */
    private boolean insideAction() {
        int parens = 0;
        while (true) {
            if (atRightTrim()) {
                out.add(new Token(Kind.RIGHT, "}}", pos));
                pos += 4;
                return true;
            }
            if (in.startsWith("}}", pos)) {
                if (parens > 0) {
                    throw new LexError("unclosed left paren", pos);
                }
                out.add(new Token(Kind.RIGHT, "}}", pos));
                pos += 2;
                return false;
            }
            if (pos >= in.length()) {
                throw new LexError("unclosed action", pos);
            }
            char c = in.charAt(pos);
            int start = pos;
            if (isSpace(c)) {
                while (pos < in.length() && isSpace(in.charAt(pos)) && !atRightTrim()) {
                    pos++;
                }
                out.add(new Token(Kind.SPACE, in.substring(start, pos), start));
            } else if (c == '=') {
                pos++;
                out.add(new Token(Kind.ASSIGN, "=", start));
            } else if (c == ':') {
                if (!in.startsWith(":=", pos)) {
                    throw new LexError("expected :=", pos);
                }
                pos += 2;
                out.add(new Token(Kind.DECLARE, ":=", start));
            } else if (c == '|') {
                pos++;
                out.add(new Token(Kind.PIPE, "|", start));
            } else if (c == '(') {
                pos++;
                parens++;
                out.add(new Token(Kind.LPAREN, "(", start));
            } else if (c == ')') {
                pos++;
                parens--;
                if (parens < 0) {
                    throw new LexError("unexpected right paren", start);
                }
                out.add(new Token(Kind.RPAREN, ")", start));
            } else if (c == ',') {
                pos++;
                out.add(new Token(Kind.COMMA, ",", start));
            } else if (c == '"') {
                quoted('"', Kind.STRING, "unterminated quoted string");
            } else if (c == '\'') {
                quoted('\'', Kind.CHAR, "unterminated character constant");
            } else if (c == '`') {
                int end = in.indexOf('`', pos + 1);
                if (end < 0) {
                    throw new LexError("unterminated raw quoted string", start);
                }
                pos = end + 1;
                out.add(new Token(Kind.RAW_STRING, in.substring(start, pos), start));
            } else if (c == '$') {
                pos++;
                while (pos < in.length() && isAlnum(in.charAt(pos))) {
                    pos++;
                }
                out.add(new Token(Kind.VARIABLE, in.substring(start, pos), start));
            } else if (c == '.') {
                if (pos + 1 < in.length() && Character.isDigit(in.charAt(pos + 1))) {
                    number();
                } else {
                    pos++;
                    while (pos < in.length() && isAlnum(in.charAt(pos))) {
                        pos++;
                    }
                    out.add(new Token(pos - start == 1 ? Kind.DOT : Kind.FIELD, in.substring(start, pos), start));
                }
            } else if (c == '+' || c == '-' || Character.isDigit(c)) {
                number();
            } else if (isAlnum(c)) {
                while (pos < in.length() && isAlnum(in.charAt(pos))) {
                    pos++;
                }
                out.add(new Token(Kind.IDENT, in.substring(start, pos), start));
            } else {
                throw new LexError(String.format("unrecognized character in action: U+%04X '%c'", (int) c, c),
                        start);
            }
        }
    }

    private void quoted(char q, Kind kind, String error) {
        int start = pos;
        pos++;
        while (true) {
            if (pos >= in.length() || in.charAt(pos) == '\n') {
                throw new LexError(error, start);
            }
            char c = in.charAt(pos);
            if (c == '\\') {
                pos += 2;
                continue;
            }
            pos++;
            if (c == q) {
                break;
            }
        }
        out.add(new Token(kind, in.substring(start, pos), start));
    }

    private void number() {
        int start = pos;
        if (in.charAt(pos) == '+' || in.charAt(pos) == '-') {
            pos++;
        }
        while (pos < in.length()) {
            char c = in.charAt(pos);
            boolean exponentSign = (c == '+' || c == '-') && pos > start
                    && "eEpP".indexOf(in.charAt(pos - 1)) >= 0 && !isHex(start);
            if (isAlnum(c) || c == '.' || exponentSign) {
                pos++;
            } else {
                break;
            }
        }
        out.add(new Token(Kind.NUMBER, in.substring(start, pos), start));
    }

    private boolean isHex(int start) {
        String s = in.substring(start, pos).replaceFirst("^[+-]", "").toLowerCase(java.util.Locale.ROOT);
        return s.startsWith("0x") && !s.contains("p");
    }
}
