package io.kpod.cli.format;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.LongNode;
import com.fasterxml.jackson.databind.node.MissingNode;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.TextNode;
import io.kpod.cli.format.TemplateNodes.Arg;
import io.kpod.cli.format.TemplateNodes.Command;
import io.kpod.cli.format.TemplateNodes.Node;
import io.kpod.cli.format.TemplateNodes.Pipe;
import io.kpod.spec.KpodException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Walks a parsed template over JSON data with text/template's evaluation rules. */
final class TemplateExecutor {
    private static final JsonNode MISSING = MissingNode.getInstance();
    private static final int MAX_DEPTH = 1000;

    /** Unwinds a range iteration. */
    private static final class Loop extends RuntimeException {
        private static final long serialVersionUID = 1L;
        final boolean isBreak;

        Loop(boolean isBreak) {
            super(null, null, false, false);
            this.isBreak = isBreak;
        }
    }

    private record Var(String name, JsonNode value) {
    }

    private final String name;
    private final String text;
    private final Map<String, List<Node>> defined;
    private final Set<JsonNode> maps = Collections.newSetFromMap(new IdentityHashMap<>());
    private final boolean allMaps;
    private final StringBuilder out;
    private List<Var> vars = new ArrayList<>();
    private int depth;

    TemplateExecutor(String name, String text, Map<String, List<Node>> defined, Set<String> mapFields,
                     boolean allMaps, JsonNode data, StringBuilder out) {
        this.name = name;
        this.text = text;
        this.defined = defined;
        this.allMaps = allMaps;
        this.out = out;
        markMaps(data, mapFields);
    }

    /** Objects reached through a Go-map-typed field (e.g. Labels) use map lookup rules. */
    private void markMaps(JsonNode n, Set<String> mapFields) {
        if (n == null) {
            return;
        }
        if (n.isObject()) {
            Iterator<Map.Entry<String, JsonNode>> it = n.fields();
            while (it.hasNext()) {
                Map.Entry<String, JsonNode> e = it.next();
                if (e.getValue().isObject() && mapFields.contains(e.getKey())) {
                    maps.add(e.getValue());
                }
                markMaps(e.getValue(), mapFields);
            }
        } else if (n.isArray()) {
            n.elements().forEachRemaining(c -> markMaps(c, mapFields));
        }
    }

    void run(List<Node> nodes, JsonNode data) {
        vars.add(new Var("$", data));
        walk(data, nodes);
    }

    private KpodException error(int pos, String context, String message) {
        int p = Math.min(pos, text.length());
        int nl = text.lastIndexOf('\n', p - 1);
        int col = nl < 0 ? p : p - (nl + 1);
        String ctx = context.length() > 20 ? context.substring(0, 20) + "..." : context;
        return KpodException.invalid("template: " + name + ":" + TemplateParser.line(text, p) + ":" + col
                + ": executing \"" + name + "\" at <" + ctx + ">: " + message);
    }

    private void walk(JsonNode dot, List<Node> nodes) {
        for (Node n : nodes) {
            walk(dot, n);
        }
    }

    private void walk(JsonNode dot, Node node) {
        if (node instanceof TemplateNodes.Text t) {
            out.append(t.text());
        } else if (node instanceof TemplateNodes.Action a) {
            JsonNode v = pipeline(dot, a.pipe());
            if (a.pipe().decl().isEmpty()) {
                out.append(v.isMissingNode() || v.isNull() ? "<no value>" : GoFmt.value(v));
            }
        } else if (node instanceof TemplateNodes.If f) {
            ifOrWith(dot, f.pipe(), f.body(), f.elseBody(), false);
        } else if (node instanceof TemplateNodes.With w) {
            ifOrWith(dot, w.pipe(), w.body(), w.elseBody(), true);
        } else if (node instanceof TemplateNodes.Range r) {
            range(dot, r);
        } else if (node instanceof TemplateNodes.Call c) {
            call(dot, c);
        } else {
            throw new Loop(node instanceof TemplateNodes.Break);
        }
    }

    private void ifOrWith(JsonNode dot, Pipe pipe, List<Node> body, List<Node> elseBody, boolean with) {
        int mark = vars.size();
        JsonNode v = pipeline(dot, pipe);
        if (TemplateFuncs.truth(v)) {
            walk(with ? v : dot, body);
        } else {
            walk(dot, elseBody);
        }
        vars.subList(mark, vars.size()).clear();
    }

    private void range(JsonNode dot, TemplateNodes.Range r) {
        int mark = vars.size();
        Pipe p = r.pipe();
        JsonNode v = commands(dot, p);
        if (!p.assign()) {
            for (String d : p.decl()) {
                vars.add(new Var(d, v));
            }
        }
        int inner = vars.size();
        List<JsonNode[]> items = new ArrayList<>();
        if (v.isArray()) {
            for (int i = 0; i < v.size(); i++) {
                items.add(new JsonNode[] {LongNode.valueOf(i), v.get(i)});
            }
        } else if (v.isObject()) {
            for (String k : GoFmt.sortedKeys(v)) {
                items.add(new JsonNode[] {TextNode.valueOf(k), v.get(k)});
            }
        } else if (v.isIntegralNumber()) {
            for (long i = 0; i < v.longValue(); i++) {
                items.add(new JsonNode[] {LongNode.valueOf(i), LongNode.valueOf(i)});
            }
        } else if (!v.isMissingNode() && !v.isNull()) {
            throw error(r.pos(), "range " + p, "range can't iterate over " + GoFmt.value(v));
        }
        for (JsonNode[] item : items) {
            if (p.decl().size() == 1) {
                assignOrSet(p, 0, item[1], inner);
            } else if (p.decl().size() == 2) {
                assignOrSet(p, 0, item[0], inner);
                assignOrSet(p, 1, item[1], inner);
            }
            try {
                walk(item[1], r.body());
            } catch (Loop l) {
                if (l.isBreak) {
                    vars.subList(inner, vars.size()).clear();
                    break;
                }
            }
            vars.subList(inner, vars.size()).clear();
        }
        if (items.isEmpty()) {
            walk(dot, r.elseBody());
        }
        vars.subList(mark, vars.size()).clear();
    }

    private void assignOrSet(Pipe p, int index, JsonNode value, int inner) {
        String var = p.decl().get(index);
        if (p.assign()) {
            setVar(var, value);
        } else {
            int slot = inner - p.decl().size() + index;
            vars.set(slot, new Var(var, value));
        }
    }

    private void call(JsonNode dot, TemplateNodes.Call c) {
        List<Node> body = defined.get(c.name());
        if (body == null) {
            throw error(c.pos(), "template " + GoFmt.quote(c.name()), "template " + GoFmt.quote(c.name())
                    + " not defined");
        }
        if (depth >= MAX_DEPTH) {
            throw error(c.pos(), "template " + GoFmt.quote(c.name()),
                    "exceeded maximum template depth (" + MAX_DEPTH + ")");
        }
        JsonNode newDot = c.pipe() == null ? MISSING : pipeline(dot, c.pipe());
        List<Var> saved = vars;
        vars = new ArrayList<>(List.of(new Var("$", newDot)));
        depth++;
        try {
            walk(newDot, body);
        } finally {
            depth--;
            vars = saved;
        }
    }

    private void setVar(String name, JsonNode value) {
        for (int i = vars.size() - 1; i >= 0; i--) {
            if (vars.get(i).name().equals(name)) {
                vars.set(i, new Var(name, value));
                return;
            }
        }
    }

    private JsonNode varValue(int pos, String name) {
        for (int i = vars.size() - 1; i >= 0; i--) {
            if (vars.get(i).name().equals(name)) {
                return vars.get(i).value();
            }
        }
        throw error(pos, name, "undefined variable: " + name);
    }

    private JsonNode commands(JsonNode dot, Pipe pipe) {
        JsonNode value = null;
        for (Command c : pipe.cmds()) {
            value = command(dot, c, value);
        }
        return value == null ? MISSING : value;
    }

    private JsonNode pipeline(JsonNode dot, Pipe pipe) {
        JsonNode value = commands(dot, pipe);
        for (String d : pipe.decl()) {
            if (pipe.assign()) {
                setVar(d, value);
            } else {
                vars.add(new Var(d, value));
            }
        }
        return value;
    }

    /** Evaluates one command; {@code finalArg} is the value piped in, null when there is none. */
    private JsonNode command(JsonNode dot, Command cmd, JsonNode finalArg) {
        Arg first = cmd.args().get(0);
        boolean hasArgs = cmd.args().size() > 1 || finalArg != null;
        if (first instanceof TemplateNodes.FieldArg f) {
            return fieldChain(dot, f, f.idents(), hasArgs);
        }
        if (first instanceof TemplateNodes.ChainArg c) {
            return fieldChain(arg(dot, c.node()), c, c.fields(), hasArgs);
        }
        if (first instanceof TemplateNodes.VarArg v) {
            JsonNode value = varValue(v.pos(), v.name());
            if (!v.fields().isEmpty()) {
                return fieldChain(value, v, v.fields(), hasArgs);
            }
            notAFunction(cmd, hasArgs);
            return value;
        }
        if (first instanceof TemplateNodes.FuncArg fn) {
            return function(dot, fn, cmd, finalArg);
        }
        if (first instanceof TemplateNodes.NilArg n) {
            throw error(n.pos(), cmd.toString(), "nil is not a command");
        }
        notAFunction(cmd, hasArgs);
        return arg(dot, first);
    }

    private void notAFunction(Command cmd, boolean hasArgs) {
        if (hasArgs) {
            Arg first = cmd.args().get(0);
            throw error(first.pos(), cmd.toString(), "can't give argument to non-function " + first);
        }
    }

    private JsonNode arg(JsonNode dot, Arg a) {
        if (a instanceof TemplateNodes.DotArg) {
            return dot;
        }
        if (a instanceof TemplateNodes.NilArg) {
            return NullNode.getInstance();
        }
        if (a instanceof TemplateNodes.ConstArg c) {
            return c.value();
        }
        if (a instanceof TemplateNodes.FieldArg f) {
            return fieldChain(dot, f, f.idents(), false);
        }
        if (a instanceof TemplateNodes.VarArg v) {
            JsonNode value = varValue(v.pos(), v.name());
            return v.fields().isEmpty() ? value : fieldChain(value, v, v.fields(), false);
        }
        if (a instanceof TemplateNodes.ChainArg c) {
            return fieldChain(arg(dot, c.node()), c, c.fields(), false);
        }
        if (a instanceof TemplateNodes.PipeArg p) {
            int mark = vars.size();
            JsonNode v = pipeline(dot, p.pipe());
            vars.subList(mark, vars.size()).clear();
            return v;
        }
        TemplateNodes.FuncArg f = (TemplateNodes.FuncArg) a;
        return function(dot, f, new Command(f.pos(), List.of(f)), null);
    }

    private JsonNode fieldChain(JsonNode receiver, Arg node, List<String> idents, boolean hasArgs) {
        JsonNode v = receiver;
        for (int i = 0; i < idents.size(); i++) {
            v = field(v, node, idents.get(i), hasArgs && i == idents.size() - 1);
        }
        return v;
    }

    private JsonNode field(JsonNode receiver, Arg node, String field, boolean hasArgs) {
        if (receiver.isMissingNode() || receiver.isNull()) {
            return MISSING;
        }
        if (receiver.isObject()) {
            boolean isMap = allMaps || maps.contains(receiver);
            if (hasArgs) {
                throw error(node.pos(), node.toString(), field + (isMap ? " is not a method but has arguments"
                        : " has arguments but cannot be invoked as function"));
            }
            JsonNode v = receiver.get(field);
            if (v != null) {
                return v;
            }
            if (isMap) {
                return MISSING;
            }
            // Podman users type .Id for .ID and the like; Go would refuse, kpod accepts a case-insensitive match
            Iterator<String> names = receiver.fieldNames();
            while (names.hasNext()) {
                String n = names.next();
                if (n.equalsIgnoreCase(field)) {
                    return receiver.get(n);
                }
            }
        }
        throw error(node.pos(), node.toString(),
                "can't evaluate field " + field + " in type " + GoFmt.typeName(receiver));
    }

    private JsonNode function(JsonNode dot, TemplateNodes.FuncArg fn, Command cmd, JsonNode finalArg) {
        TemplateFuncs.Func f = TemplateFuncs.FUNCS.get(fn.name());
        List<Arg> rest = cmd.args().subList(1, cmd.args().size());
        int count = rest.size() + (finalArg != null ? 1 : 0);
        if (count < f.min() || (f.max() >= 0 && count > f.max())) {
            String want = f.max() < 0 ? "at least " + f.min() : Integer.toString(f.min());
            throw error(fn.pos(), fn.name(), "wrong number of args for " + fn.name() + ": want " + want
                    + " got " + count);
        }
        if (fn.name().equals("and") || fn.name().equals("or")) {
            boolean isAnd = fn.name().equals("and");
            JsonNode v = null;
            for (Arg a : rest) {
                v = arg(dot, a);
                if (TemplateFuncs.truth(v) != isAnd) {
                    return v;
                }
            }
            return finalArg != null ? finalArg : v;
        }
        List<JsonNode> args = new ArrayList<>();
        for (Arg a : rest) {
            args.add(arg(dot, a));
        }
        if (finalArg != null) {
            args.add(finalArg);
        }
        try {
            return f.impl().apply(args);
        } catch (TemplateFuncs.FuncError e) {
            throw error(cmd.pos(), cmd.toString(), "error calling " + fn.name() + ": " + e.getMessage());
        }
    }
}
