package io.kpod.cli.format;

import com.fasterxml.jackson.databind.node.BooleanNode;
import io.kpod.cli.format.TemplateLexer.Kind;
import io.kpod.cli.format.TemplateLexer.Token;
import io.kpod.cli.format.TemplateNodes.Arg;
import io.kpod.cli.format.TemplateNodes.Command;
import io.kpod.cli.format.TemplateNodes.Node;
import io.kpod.cli.format.TemplateNodes.Pipe;
import io.kpod.spec.KpodException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Parses Go text/template source into {@link TemplateNodes}, with Go's parse-time checks and messages. */
final class TemplateParser {
    /** The main body and the templates named by define or block. */
    record Parsed(List<Node> main, Map<String, List<Node>> defined) {
    }

    private static final Set<String> KEYWORDS =
            Set.of("block", "break", "continue", "define", "else", "end", "if", "range", "template", "with");

    private final String name;
    private final String text;
    private final Set<String> funcs;
    private final List<Token> tokens;
    private final Map<String, List<Node>> defined = new LinkedHashMap<>();
    private List<String> vars = new ArrayList<>(List.of("$"));
    private int rangeDepth;
    private int i;

    private TemplateParser(String name, String text, Set<String> funcs, List<Token> tokens) {
        this.name = name;
        this.text = text;
        this.funcs = funcs;
        this.tokens = tokens;
    }

    static Parsed parse(String name, String text, Set<String> funcs) {
        List<Token> tokens;
        try {
            tokens = TemplateLexer.lex(text);
        } catch (TemplateLexer.LexError e) {
            throw KpodException.invalid("template: " + name + ":" + line(text, e.pos) + ": " + e.getMessage());
        }
        TemplateParser p = new TemplateParser(name, text, funcs, tokens);
        String[] end = new String[1];
        List<Node> main = p.list(true, end);
        if (!end[0].equals("eof")) {
            throw p.error("unexpected {{" + end[0] + "}}");
        }
        return new Parsed(main, p.defined);
    }

    static int line(String text, int pos) {
        int n = 1;
        for (int k = 0; k < Math.min(pos, text.length()); k++) {
            if (text.charAt(k) == '\n') {
                n++;
            }
        }
        return n;
    }

    private KpodException error(String message) {
        int pos = tokens.get(Math.min(i, tokens.size() - 1)).pos();
        return KpodException.invalid("template: " + name + ":" + line(text, pos) + ": " + message);
    }

    private Token next() {
        return tokens.get(i < tokens.size() - 1 ? i++ : i);
    }

    private Token peek() {
        return tokens.get(i);
    }

    private Token nextNonSpace() {
        Token t = next();
        while (t.kind() == Kind.SPACE) {
            t = next();
        }
        return t;
    }

    private Token peekNonSpace() {
        Token t = nextNonSpace();
        i--;
        return t;
    }

    private boolean isKeyword(Token t, String word) {
        return t.kind() == Kind.IDENT && t.text().equals(word);
    }

    private void expectRight(String context) {
        Token t = nextNonSpace();
        if (t.kind() != Kind.RIGHT) {
            throw unexpected(t, context);
        }
    }

    private KpodException unexpected(Token t, String context) {
        String what = switch (t.kind()) {
            case EOF -> "EOF";
            case RIGHT -> "\"}}\"";
            case IDENT -> KEYWORDS.contains(t.text()) ? "<" + t.text() + ">" : t.text();
            default -> GoFmt.quote(t.text());
        };
        return error("unexpected " + what + " in " + context);
    }

    /** Parses nodes until {{end}}, {{else}} or EOF; end[0] receives which. */
    private List<Node> list(boolean topLevel, String[] end) {
        List<Node> nodes = new ArrayList<>();
        while (true) {
            Token t = next();
            switch (t.kind()) {
                case TEXT -> nodes.add(new TemplateNodes.Text(t.text()));
                case EOF -> {
                    end[0] = "eof";
                    return nodes;
                }
                case LEFT -> {
                    Token k = peekNonSpace();
                    if (isKeyword(k, "end")) {
                        nextNonSpace();
                        expectRight("end");
                        end[0] = "end";
                        return nodes;
                    }
                    if (isKeyword(k, "else")) {
                        nextNonSpace();
                        end[0] = "else";
                        return nodes;
                    }
                    if (isKeyword(k, "define")) {
                        if (!topLevel) {
                            throw error("unexpected <define> in command");
                        }
                        nextNonSpace();
                        define();
                    } else {
                        nodes.add(action());
                    }
                }
                default -> throw unexpected(t, "input");
            }
        }
    }

    private String templateName(String context) {
        Token t = nextNonSpace();
        if (t.kind() != Kind.STRING && t.kind() != Kind.RAW_STRING) {
            throw unexpected(t, context);
        }
        return constant(t).value().textValue();
    }

    private void define() {
        String n = templateName("define clause");
        expectRight("define clause");
        List<String> saved = vars;
        vars = new ArrayList<>(List.of("$"));
        String[] end = new String[1];
        List<Node> body = list(false, end);
        if (!end[0].equals("end")) {
            throw end[0].equals("eof") ? error("unexpected EOF") : error("unexpected {{else}}");
        }
        vars = saved;
        defined.put(n, body);
    }

    private Node action() {
        Token t = nextNonSpace();
        if (t.kind() == Kind.IDENT) {
            switch (t.text()) {
                case "if", "range", "with" -> {
                    return control(t.text(), t.pos());
                }
                case "break", "continue" -> {
                    if (rangeDepth == 0) {
                        throw error("{{" + t.text() + "}} outside {{range}}");
                    }
                    expectRight(t.text());
                    return t.text().equals("break") ? new TemplateNodes.Break(t.pos())
                            : new TemplateNodes.Continue(t.pos());
                }
                case "template" -> {
                    String n = templateName("template clause");
                    Pipe pipe = null;
                    if (peekNonSpace().kind() != Kind.RIGHT) {
                        pipe = pipeline("template clause", Kind.RIGHT, false);
                    } else {
                        nextNonSpace();
                    }
                    return new TemplateNodes.Call(t.pos(), n, pipe);
                }
                case "block" -> {
                    String n = templateName("block clause");
                    Pipe pipe = pipeline("block clause", Kind.RIGHT, false);
                    List<String> saved = vars;
                    vars = new ArrayList<>(List.of("$"));
                    String[] end = new String[1];
                    List<Node> body = list(false, end);
                    if (!end[0].equals("end")) {
                        throw error("unexpected " + (end[0].equals("eof") ? "EOF" : "{{else}}"));
                    }
                    vars = saved;
                    defined.put(n, body);
                    return new TemplateNodes.Call(t.pos(), n, pipe);
                }
                default -> {
                }
            }
        }
        i--;
        while (peek().kind() == Kind.SPACE) {
            i++;
        }
        int pos = peek().pos();
        return new TemplateNodes.Action(pos, pipeline("command", Kind.RIGHT, true));
    }

    private Node control(String kind, int pos) {
        int mark = vars.size();
        if (kind.equals("range")) {
            rangeDepth++;
        }
        Pipe pipe = pipeline(kind, Kind.RIGHT, true);
        if (pipe.decl().size() > 1 && !kind.equals("range")) {
            throw error("too many declarations in " + kind);
        }
        String[] end = new String[1];
        List<Node> body = list(false, end);
        if (kind.equals("range")) {
            rangeDepth--;
        }
        List<Node> elseBody = List.of();
        if (end[0].equals("else")) {
            Token k = peekNonSpace();
            if (!kind.equals("range") && isKeyword(k, kind)) {
                // "else if" / "else with" chain: the nested control consumes the shared {{end}}
                Token kw = nextNonSpace();
                elseBody = List.of(control(kind, kw.pos()));
            } else {
                expectRight("else");
                elseBody = list(false, end);
                if (!end[0].equals("end")) {
                    throw error(end[0].equals("eof") ? "unexpected EOF" : "expected end; found {{else}}");
                }
            }
        } else if (!end[0].equals("end")) {
            throw error("unexpected EOF");
        }
        vars = new ArrayList<>(vars.subList(0, mark));
        return switch (kind) {
            case "if" -> new TemplateNodes.If(pos, pipe, body, elseBody);
            case "range" -> new TemplateNodes.Range(pos, pipe, body, elseBody);
            default -> new TemplateNodes.With(pos, pipe, body, elseBody);
        };
    }

    private Pipe pipeline(String context, Kind end, boolean allowDecl) {
        int pos = peekNonSpace().pos();
        List<String> decl = new ArrayList<>();
        boolean assign = false;
        if (allowDecl && peekNonSpace().kind() == Kind.VARIABLE) {
            int save = i;
            Token v = nextNonSpace();
            Token after = nextNonSpace();
            if (after.kind() == Kind.DECLARE || after.kind() == Kind.ASSIGN) {
                assign = after.kind() == Kind.ASSIGN;
                decl.add(v.text());
            } else if (after.kind() == Kind.COMMA && context.equals("range")) {
                Token v2 = nextNonSpace();
                Token op = nextNonSpace();
                if (v2.kind() != Kind.VARIABLE || (op.kind() != Kind.DECLARE && op.kind() != Kind.ASSIGN)) {
                    throw error("range can only initialize variables");
                }
                assign = op.kind() == Kind.ASSIGN;
                decl.add(v.text());
                decl.add(v2.text());
            } else if (after.kind() == Kind.COMMA) {
                throw error("too many declarations in " + context);
            } else {
                i = save;
            }
            if (assign) {
                for (String d : decl) {
                    if (!vars.contains(d)) {
                        throw error("undefined variable \"" + d + "\"");
                    }
                }
            }
        }
        List<Command> cmds = new ArrayList<>();
        while (true) {
            Token t = peekNonSpace();
            if (t.kind() == end) {
                nextNonSpace();
                if (cmds.isEmpty()) {
                    throw error("missing value for " + context);
                }
                break;
            }
            cmds.add(command(end));
            Token sep = nextNonSpace();
            if (sep.kind() == end) {
                break;
            }
            if (sep.kind() != Kind.PIPE) {
                throw unexpected(sep, context);
            }
        }
        for (int k = 1; k < cmds.size(); k++) {
            Arg first = cmds.get(k).args().get(0);
            if (first instanceof TemplateNodes.ConstArg || first instanceof TemplateNodes.DotArg
                    || first instanceof TemplateNodes.NilArg) {
                throw error("non executable command in pipeline stage " + (k + 1));
            }
        }
        if (!assign) {
            vars.addAll(decl);
        }
        return new Pipe(pos, assign, List.copyOf(decl), List.copyOf(cmds));
    }

    private Command command(Kind end) {
        int pos = peekNonSpace().pos();
        List<Arg> args = new ArrayList<>();
        while (true) {
            Arg a = operand();
            if (a == null) {
                Token t = peekNonSpace();
                if (args.isEmpty()) {
                    throw t.kind() == end || t.kind() == Kind.PIPE ? error("missing value for command")
                            : unexpected(t, "operand");
                }
                return new Command(pos, List.copyOf(args));
            }
            args.add(a);
            Token t = peek();
            if (t.kind() == Kind.SPACE) {
                continue;
            }
            if (t.kind() == end || t.kind() == Kind.PIPE) {
                return new Command(pos, List.copyOf(args));
            }
            throw unexpected(t, "operand");
        }
    }

    private Arg operand() {
        Arg term = term();
        if (term == null || peek().kind() != Kind.FIELD) {
            return term;
        }
        List<String> fields = new ArrayList<>();
        while (peek().kind() == Kind.FIELD) {
            fields.add(next().text().substring(1));
        }
        if (term instanceof TemplateNodes.FieldArg f) {
            List<String> all = new ArrayList<>(f.idents());
            all.addAll(fields);
            return new TemplateNodes.FieldArg(f.pos(), List.copyOf(all));
        }
        if (term instanceof TemplateNodes.VarArg v) {
            List<String> all = new ArrayList<>(v.fields());
            all.addAll(fields);
            return new TemplateNodes.VarArg(v.pos(), v.name(), List.copyOf(all));
        }
        if (term instanceof TemplateNodes.ConstArg || term instanceof TemplateNodes.NilArg
                || term instanceof TemplateNodes.DotArg) {
            throw error("unexpected . after term " + GoFmt.quote(term.toString()));
        }
        return new TemplateNodes.ChainArg(term.pos(), term, List.copyOf(fields));
    }

    private Arg term() {
        Token t = nextNonSpace();
        switch (t.kind()) {
            case IDENT -> {
                switch (t.text()) {
                    case "true", "false" -> {
                        return new TemplateNodes.ConstArg(t.pos(), t.text(), BooleanNode.valueOf(t.text().equals("true")));
                    }
                    case "nil" -> {
                        return new TemplateNodes.NilArg(t.pos());
                    }
                    default -> {
                        if (KEYWORDS.contains(t.text())) {
                            throw unexpected(t, "command");
                        }
                        if (!funcs.contains(t.text())) {
                            throw error("function " + GoFmt.quote(t.text()) + " not defined");
                        }
                        return new TemplateNodes.FuncArg(t.pos(), t.text());
                    }
                }
            }
            case DOT -> {
                return new TemplateNodes.DotArg(t.pos());
            }
            case VARIABLE -> {
                if (!vars.contains(t.text())) {
                    throw error("undefined variable " + GoFmt.quote(t.text()));
                }
                return new TemplateNodes.VarArg(t.pos(), t.text(), List.of());
            }
            case FIELD -> {
                return new TemplateNodes.FieldArg(t.pos(), List.of(t.text().substring(1)));
            }
            case STRING, RAW_STRING, CHAR, NUMBER -> {
                return constant(t);
            }
            case LPAREN -> {
                return new TemplateNodes.PipeArg(t.pos(), pipeline("parenthesized pipeline", Kind.RPAREN, false));
            }
            default -> {
                i--;
                return null;
            }
        }
    }

    private TemplateNodes.ConstArg constant(Token t) {
        return TemplateConstants.constant(t, this::error);
    }
}
