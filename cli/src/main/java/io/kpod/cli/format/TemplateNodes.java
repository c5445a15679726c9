package io.kpod.cli.format;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.stream.Collectors;

/** The parse tree of a Go text/template; {@code toString} gives Go's node text used in error contexts. */
final class TemplateNodes {
    private TemplateNodes() {
    }

    /** A node of a template body. */
    sealed interface Node permits Text, Action, If, Range, With, Call, Break, Continue {
    }

    /** Literal text between actions. */
    record Text(String text) implements Node {
    }

    /** {@code {{pipeline}}}: prints its value unless it declares variables. */
    record Action(int pos, Pipe pipe) implements Node {
    }

    /** {@code {{if}}}; an {@code else if} is an If alone in the else list. */
    record If(int pos, Pipe pipe, List<Node> body, List<Node> elseBody) implements Node {
    }

    /** {@code {{range}}}. */
    record Range(int pos, Pipe pipe, List<Node> body, List<Node> elseBody) implements Node {
    }

    /** {@code {{with}}}. */
    record With(int pos, Pipe pipe, List<Node> body, List<Node> elseBody) implements Node {
    }

    /** {@code {{template "name" pipeline}}}; pipe may be null. */
    record Call(int pos, String name, Pipe pipe) implements Node {
    }

    /** {@code {{break}}}. */
    record Break(int pos) implements Node {
    }

    /** {@code {{continue}}}. */
    record Continue(int pos) implements Node {
    }

    /** A pipeline: optional variable declaration or assignment, then commands joined by '|'. */
    record Pipe(int pos, boolean assign, List<String> decl, List<Command> cmds) {
        @Override
        public String toString() {
            String c = cmds.stream().map(Command::toString).collect(Collectors.joining(" | "));
            return decl.isEmpty() ? c : String.join(", ", decl) + (assign ? " = " : " := ") + c;
        }
    }

    /** One command: an operand followed by arguments. */
    record Command(int pos, List<Arg> args) {
        @Override
        public String toString() {
            return args.stream().map(a -> a instanceof PipeArg p ? "(" + p.pipe() + ")" : a.toString())
                    .collect(Collectors.joining(" "));
        }
    }

    /** An operand of a command. */
    sealed interface Arg permits FieldArg, VarArg, DotArg, NilArg, ConstArg, FuncArg, PipeArg, ChainArg {
        int pos();
    }

    /** {@code .A.B} evaluated on dot. */
    record FieldArg(int pos, List<String> idents) implements Arg {
        @Override
        public String toString() {
            return "." + String.join(".", idents);
        }
    }

    /** {@code $x.A.B}. */
    record VarArg(int pos, String name, List<String> fields) implements Arg {
        @Override
        public String toString() {
            return fields.isEmpty() ? name : name + "." + String.join(".", fields);
        }
    }

    /** {@code .}. */
    record DotArg(int pos) implements Arg {
        @Override
        public String toString() {
            return ".";
        }
    }

    /** {@code nil}. */
    record NilArg(int pos) implements Arg {
        @Override
        public String toString() {
            return "nil";
        }
    }

    /** A string, number, character or boolean constant; text is its source form. */
    record ConstArg(int pos, String text, JsonNode value) implements Arg {
        @Override
        public String toString() {
            return text;
        }
    }

    /** A function name. */
    record FuncArg(int pos, String name) implements Arg {
        @Override
        public String toString() {
            return name;
        }
    }

    /** A parenthesized pipeline. */
    record PipeArg(int pos, Pipe pipe) implements Arg {
        @Override
        public String toString() {
            return "(" + pipe + ")";
        }
    }

    /** Fields applied to a non-dot operand, as in {@code (index .A 0).Name}. */
    record ChainArg(int pos, Arg node, List<String> fields) implements Arg {
        @Override
        public String toString() {
            String base = node instanceof PipeArg ? node.toString() : node.toString();
            return base + "." + String.join(".", fields);
        }
    }
}
