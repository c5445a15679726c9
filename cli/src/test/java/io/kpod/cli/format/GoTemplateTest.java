package io.kpod.cli.format;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.kpod.spec.ErrorKind;
import io.kpod.spec.KpodException;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class GoTemplateTest {
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final String DATA = """
            {"ID":"abc123","Names":["web","db"],
             "State":{"Status":"running","Pid":42,"Running":true},
             "NetworkSettings":{"SandboxKey":"/run/netns/x"},
             "Labels":{"tier":"<front>","app":"web"},
             "Config":{"Cmd":["sh","-c","a<b && c>d"],"Env":[]},
             "Size":4330000,"CPU":0.5,"Empty":"","Nil":null,"Count":3}
            """;

    static JsonNode data() {
        try {
            return MAPPER.readTree(DATA);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    static Stream<Arguments> cases() {
        return Stream.of(
                // field paths, nested and on maps; values print like Go's fmt
                Arguments.of("{{.State.Status}}", "running"),
                Arguments.of("{{.NetworkSettings.SandboxKey}}", "/run/netns/x"),
                Arguments.of("{{.Names}}", "[web db]"),
                Arguments.of("{{.Labels}}", "map[app:web tier:<front>]"),
                Arguments.of("{{.Labels.app}}", "web"),
                Arguments.of("{{.Labels.missing}}", "<no value>"),
                Arguments.of("{{.State}}", "map[Pid:42 Running:true Status:running]"),
                Arguments.of("{{.Size}} {{.CPU}} {{.State.Running}} {{.Nil}}", "4330000 0.5 true <no value>"),
                Arguments.of("{{.}}", "map[CPU:0.5 Config:map[Cmd:[sh -c a<b && c>d] Env:[]] Count:3 Empty: ID:abc123 "
                        + "Labels:map[app:web tier:<front>] Names:[web db] NetworkSettings:map[SandboxKey:/run/netns/x] "
                        + "Nil:<nil> Size:4330000 State:map[Pid:42 Running:true Status:running]]"),
                // lenient case-insensitive fallback
                Arguments.of("{{.Id}}", "abc123"),
                Arguments.of("{{.state.status}}", "running"),
                // json, as Podman's json function: compact, no HTML escaping
                Arguments.of("{{json .Config}}", "{\"Cmd\":[\"sh\",\"-c\",\"a<b && c>d\"],\"Env\":[]}"),
                Arguments.of("{{.Config | json}}", "{\"Cmd\":[\"sh\",\"-c\",\"a<b && c>d\"],\"Env\":[]}"),
                Arguments.of("{{json .Labels.tier}} {{json .Nil}} {{json .Size}}", "\"<front>\" null 4330000"),
                // range
                Arguments.of("{{range .Names}}{{.}},{{end}}", "web,db,"),
                Arguments.of("{{range $i, $e := .Names}}{{$i}}={{$e}} {{end}}", "0=web 1=db "),
                Arguments.of("{{range $k, $v := .Labels}}{{$k}}:{{$v}};{{end}}", "app:web;tier:<front>;"),
                Arguments.of("{{range $e := .Names}}<{{$e}}>{{end}}", "<web><db>"),
                Arguments.of("{{range $i, $e := .Names}}{{if $i}},{{end}}{{$e}}{{end}}", "web,db"),
                Arguments.of("{{range .Config.Env}}x{{else}}none{{end}}", "none"),
                Arguments.of("{{range .Nil}}x{{else}}none{{end}}", "none"),
                Arguments.of("{{range .Names}}{{if eq . \"db\"}}{{break}}{{end}}{{.}}{{end}}", "web"),
                Arguments.of("{{range .Names}}{{if eq . \"web\"}}{{continue}}{{end}}{{.}}{{end}}", "db"),
                Arguments.of("{{range 3}}{{.}}{{end}}", "012"),
                Arguments.of("{{range .Names}}{{$.ID}}/{{.}} {{end}}", "abc123/web abc123/db "),
                // if / else if / with
                Arguments.of("{{if .State.Running}}yes{{else}}no{{end}}", "yes"),
                Arguments.of("{{if .Empty}}yes{{else}}no{{end}}", "no"),
                Arguments.of("{{if eq .State.Status \"exited\"}}x{{else if eq .State.Status \"running\"}}r{{else}}o{{end}}",
                        "r"),
                Arguments.of("{{with .State}}{{.Pid}}{{end}}", "42"),
                Arguments.of("{{with .Empty}}x{{else}}empty{{end}}", "empty"),
                Arguments.of("{{with $s := .State.Status}}{{$s}}{{end}}", "running"),
                // index, len, slice, join, case functions
                Arguments.of("{{index .Labels \"app\"}}", "web"),
                Arguments.of("[{{index .Labels \"nope\"}}]", "[]"),
                Arguments.of("{{index .Names 1}}", "db"),
                Arguments.of("{{len .Names}} {{len .ID}} {{len .Labels}}", "2 6 2"),
                Arguments.of("{{.Names | len}}", "2"),
                Arguments.of("{{slice .ID 1 3}} {{slice .Names 1}}", "bc [db]"),
                Arguments.of("{{join .Names \",\"}}", "web,db"),
                Arguments.of("{{upper .State.Status}} {{lower \"ABC\"}} {{title \"hello wide-world\"}}",
                        "RUNNING abc Hello Wide-World"),
                Arguments.of("{{(index .Names 0) | upper}}", "WEB"),
                Arguments.of("{{(.State).Status}}", "running"),
                Arguments.of("{{split \"a,b\" \",\"}} [{{pad \"x\" 1 2}}] {{truncate \"abcdef\" 3}}", "[a b] [ x  ] abc"),
                Arguments.of("{{html \"<a href='x'>\"}} {{urlquery \"a b&c\"}} {{js \"it's <b>\"}}",
                        "&lt;a href=&#39;x&#39;&gt; a+b%26c it\\'s \\u003Cb\\u003E"),
                // printf, print, println
                Arguments.of("{{printf \"%s-%d\" .ID .State.Pid}}", "abc123-42"),
                Arguments.of("{{printf \"%5.1f|%-4s|%03d|%q|%v\" .CPU \"ab\" 7 \"x\" .Names}}", "  0.5|ab  |007|\"x\"|[web db]"),
                Arguments.of("{{printf \"%.2f %e %g %x %X %t %%\" 3.14159 1234.5 0.000012 255 255 true}}",
                        "3.14 1.234500e+03 1.2e-05 ff FF true %"),
                Arguments.of("{{printf \"%d %s\" 1}}", "1 %!s(MISSING)"),
                Arguments.of("{{printf \"%d\" 1 2}}", "1%!(EXTRA int=2)"),
                Arguments.of("{{printf \"%d\" \"x\"}}", "%!d(string=x)"),
                Arguments.of("{{.ID | printf \"%s!\"}}", "abc123!"),
                Arguments.of("{{print 1 2 \"a\" \"b\" 3}}", "1 2ab3"),
                Arguments.of("{{println .ID}}", "abc123\n"),
                Arguments.of("{{println}}", "\n"),
                Arguments.of("{{println \"a\" 1}}", "a 1\n"),
                // variables
                Arguments.of("{{$x := .State}}{{$x.Pid}}", "42"),
                Arguments.of("{{$n := 1}}{{$n = 2}}{{$n}}", "2"),
                Arguments.of("{{$}}", "map[CPU:0.5 Config:map[Cmd:[sh -c a<b && c>d] Env:[]] Count:3 Empty: ID:abc123 "
                        + "Labels:map[app:web tier:<front>] Names:[web db] NetworkSettings:map[SandboxKey:/run/netns/x] "
                        + "Nil:<nil> Size:4330000 State:map[Pid:42 Running:true Status:running]]"),
                // trim markers, comments, literals
                Arguments.of("a  {{- .ID -}}  b", "aabc123b"),
                Arguments.of("a\n\t{{- .ID}}\n", "aabc123\n"),
                Arguments.of("{{- /* a comment */ -}}  x", "x"),
                Arguments.of("x{{/* c */}}y", "xy"),
                Arguments.of("{{\"literal\"}} {{`raw\\n`}} {{\"tab\\there\"}}", "literal raw\\n tab\there"),
                Arguments.of("{{3}} {{1.5}} {{'a'}} {{0x1F}} {{-7}} {{1e3}} {{true}}", "3 1.5 97 31 -7 1000 true"),
                // comparisons and logic as Go
                Arguments.of("{{if and .State.Running (gt .State.Pid 10)}}ok{{end}}", "ok"),
                Arguments.of("{{or .Empty \"dflt\"}} {{and 1 0 2}} {{or 0 \"\"}} {{and 1 2}}", "dflt 0  2"),
                Arguments.of("{{not .Empty}} {{not .ID}}", "true false"),
                Arguments.of("{{lt 1 2}} {{le 2 2}} {{ge \"b\" \"a\"}} {{ne .ID \"x\"}} {{gt 1.5 1.25}}",
                        "true true true true true"),
                Arguments.of("{{eq .State.Pid 1 2 42}} {{eq .ID \"abc123\"}} {{eq .Nil .Labels.none}} {{eq .Nil 1}}",
                        "true true true false"),
                // named templates
                Arguments.of("{{define \"x\"}}[{{.}}]{{end}}{{template \"x\" .ID}}{{template \"x\"}}", "[abc123][<no value>]"),
                Arguments.of("{{block \"b\" .State}}{{.Pid}}{{end}}", "42"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void rendersLikeGo(String template, String expected) {
        assertThat(GoTemplate.parse("t", template).execute(data())).isEqualTo(expected);
    }

    static Stream<Arguments> errors() {
        return Stream.of(
                Arguments.of("{{.Foo}}",
                        "template: t:1:2: executing \"t\" at <.Foo>: can't evaluate field Foo in type map[string]interface {}"),
                Arguments.of("x\n {{.ID.Foo}}",
                        "template: t:2:3: executing \"t\" at <.ID.Foo>: can't evaluate field Foo in type string"),
                Arguments.of("{{.NetworkSettings.SandboxKey.Deeper.Path}}",
                        "template: t:1:2: executing \"t\" at <.NetworkSettings.San...>: can't evaluate field Deeper in type string"),
                Arguments.of("{{foo}}", "template: t:1: function \"foo\" not defined"),
                Arguments.of("{{if .ID}}x", "template: t:1: unexpected EOF"),
                Arguments.of("{{end}}", "template: t:1: unexpected {{end}}"),
                Arguments.of("{{.ID", "template: t:1: unclosed action"),
                Arguments.of("{{}}", "template: t:1: missing value for command"),
                Arguments.of("{{3-}}", "template: t:1: unexpected \"-\" in operand"),
                Arguments.of("{{$x}}", "template: t:1: undefined variable \"$x\""),
                Arguments.of("{{\"abc}}", "template: t:1: unterminated quoted string"),
                Arguments.of("{{break}}", "template: t:1: {{break}} outside {{range}}"),
                Arguments.of("{{.ID | \"x\"}}", "template: t:1: non executable command in pipeline stage 2"),
                Arguments.of("{{index .Names 5}}",
                        "template: t:1:2: executing \"t\" at <index .Names 5>: error calling index: index out of range: 5"),
                Arguments.of("{{lt .ID 1}}",
                        "template: t:1:2: executing \"t\" at <lt .ID 1>: error calling lt: incompatible types for comparison"),
                Arguments.of("{{len 3}}", "template: t:1:2: executing \"t\" at <len 3>: error calling len: len of type int"),
                Arguments.of("{{.ID 1}}",
                        "template: t:1:2: executing \"t\" at <.ID>: ID has arguments but cannot be invoked as function"),
                Arguments.of("{{\"x\" 1}}",
                        "template: t:1:2: executing \"t\" at <\"x\" 1>: can't give argument to non-function \"x\""),
                Arguments.of("{{upper}}",
                        "template: t:1:2: executing \"t\" at <upper>: wrong number of args for upper: want 1 got 0"),
                Arguments.of("{{template \"nope\"}}",
                        "template: t:1:2: executing \"t\" at <template \"nope\">: template \"nope\" not defined"),
                Arguments.of("{{range .ID}}{{end}}",
                        "template: t:1:2: executing \"t\" at <range .ID>: range can't iterate over abc123"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("errors")
    void reportsGoErrorsAsInvalid(String template, String message) {
        assertThatThrownBy(() -> GoTemplate.parse("t", template).execute(data()))
                .isInstanceOf(KpodException.class)
                .hasMessage(message)
                .satisfies(e -> assertThat(((KpodException) e).kind()).isEqualTo(ErrorKind.INVALID));
    }

    @org.junit.jupiter.api.Test
    void mapFieldsFollowGoMapRules() throws Exception {
        JsonNode d = MAPPER.readTree("{\"Opts\":{\"a\":\"1\"},\"Labels\":{\"Key\":\"v\"}}");
        // Labels is a Go map: exact keys only, missing key prints <no value>
        assertThat(GoTemplate.parse("t", "{{.Labels.key}}").execute(d)).isEqualTo("<no value>");
        assertThat(GoTemplate.parse("t", "{{.Opts.b}}").withMapFields(Set.of("Opts")).execute(d))
                .isEqualTo("<no value>");
        assertThatThrownBy(() -> GoTemplate.parse("t", "{{.Opts.b}}").execute(d))
                .hasMessageContaining("can't evaluate field b");
        assertThat(GoTemplate.parse("t", "{{.Nope}}").executeOnMaps(d)).isEqualTo("<no value>");
    }
}
