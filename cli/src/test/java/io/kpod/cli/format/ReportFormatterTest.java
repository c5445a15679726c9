package io.kpod.cli.format;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kpod.cli.format.ReportFormatter.Origin;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Cases and expected output from containers/common pkg/report formatter_test.go. */
class ReportFormatterTest {
    private static final Map<String, String> HEADERS = Map.of("ID", "Identity", "Value", "Value");

    private static JsonNode row(String id, String value) {
        return JsonNodeFactory.instance.objectNode().put("ID", id).put("Value", value);
    }

    private static final List<JsonNode> ROWS = List.of(
            row("c061a0839e", "one"), row("f10fc2e11057", "two"), row("1eb6fab5aa8f4b5cbfd3e66aa35e9b2a", "three"));

    static Stream<Arguments> podmanCases() {
        return Stream.of(
                Arguments.of(Origin.USER, "table {{ .ID}}", "Identity\nc061a0839e\nf10fc2e11057\n1eb6fab5aa8f4b5cbfd3e66aa35e9b2a\n"),
                Arguments.of(Origin.USER, "table {{ .ID}}\n", "Identity\nc061a0839e\nf10fc2e11057\n1eb6fab5aa8f4b5cbfd3e66aa35e9b2a\n"),
                Arguments.of(Origin.USER, "table {{ .ID}}\\n", "Identity\nc061a0839e\nf10fc2e11057\n1eb6fab5aa8f4b5cbfd3e66aa35e9b2a\n"),
                Arguments.of(Origin.USER, "table {{.ID}}\t{{.Value}}",
                        "Identity                          Value\nc061a0839e                        one\n"
                                + "f10fc2e11057                      two\n1eb6fab5aa8f4b5cbfd3e66aa35e9b2a  three\n"),
                Arguments.of(Origin.USER, "table {{.ID}}\\t{{.Value}}",
                        "Identity                          Value\nc061a0839e                        one\n"
                                + "f10fc2e11057                      two\n1eb6fab5aa8f4b5cbfd3e66aa35e9b2a  three\n"),
                Arguments.of(Origin.USER, "{{range .}}{{.ID}}\tID{{end}}",
                        "c061a0839e\tIDf10fc2e11057\tID1eb6fab5aa8f4b5cbfd3e66aa35e9b2a\tID\n"),
                Arguments.of(Origin.PODMAN, "Value\tIdent\n{{range .}}{{.ID}}\tID{{end}}",
                        "Value       Ident\nIdentity    ID\nValue       Ident\n"
                                + "c061a0839e  IDf10fc2e11057  ID1eb6fab5aa8f4b5cbfd3e66aa35e9b2a  ID\n"),
                Arguments.of(Origin.USER, "{{range .}}{{.ID}}\tID\n{{end}}",
                        "c061a0839e\tID\nf10fc2e11057\tID\n1eb6fab5aa8f4b5cbfd3e66aa35e9b2a\tID\n\n"),
                Arguments.of(Origin.USER, "{{range .}}{{.ID}}{{end -}}", "c061a0839ef10fc2e110571eb6fab5aa8f4b5cbfd3e66aa35e9b2a"),
                // a literal \n inside a quoted string breaks the normalized text; Podman falls back to the original
                Arguments.of(Origin.USER, "{{range .}}{{printf \"\\n\"}}{{end -}}", "\n\n\n"),
                Arguments.of(Origin.USER, "ID\t{{.ID}}", "ID\tc061a0839e\nID\tf10fc2e11057\nID\t1eb6fab5aa8f4b5cbfd3e66aa35e9b2a\n"),
                Arguments.of(Origin.USER, "{{.ID}}", "c061a0839e\nf10fc2e11057\n1eb6fab5aa8f4b5cbfd3e66aa35e9b2a\n"));
    }

    @ParameterizedTest(name = "{1}")
    @MethodSource("podmanCases")
    void matchesPodmanFormatter(Origin origin, String format, String expected) {
        ReportFormatter f = ReportFormatter.parse("test", origin, format);
        if (f.rendersHeaders()) {
            f.writeHeaders(HEADERS);
        }
        assertThat(f.writeRows(ROWS).flush()).isEqualTo(expected);
    }

    @Test
    void tableFlagAndJsonDetection() {
        assertThat(ReportFormatter.parse("t", Origin.USER, "table {{.ID}}").isTable()).isTrue();
        assertThat(ReportFormatter.parse("t", Origin.USER, "{{.ID}}").isTable()).isFalse();
        assertThat(ReportFormatter.parse("t", Origin.USER, "{{.ID}}").rendersHeaders()).isFalse();
        assertThat(ReportFormatter.parse("t", Origin.PODMAN, "{{range .}}{{.ID}}\n{{end -}}").rendersHeaders()).isTrue();
        assertThat(ReportFormatter.isJson("json")).isTrue();
        assertThat(ReportFormatter.isJson(" {{ json. }} ")).isTrue();
        assertThat(ReportFormatter.isJson("{{ json . }}")).isFalse();
        assertThat(ReportFormatter.isJson("{{json}}")).isTrue();
        assertThat(ReportFormatter.isJson("{{json .}}")).isFalse();
        assertThat(ReportFormatter.isJson("{{.ID}}")).isFalse();
        assertThat(ReportFormatter.normalizeFormat("table {{.ID}} {{.Names}}")).isEqualTo("{{.ID}}\t{{.Names}}\n");
        assertThat(ReportFormatter.enforceRange("{{ range . }}x{{ end }}")).isEqualTo("{{ range . }}x{{ end }}");
    }

    private static JsonNode container(String id, String image, String cmd, String created, String status, String names) {
        ObjectNode n = JsonNodeFactory.instance.objectNode();
        n.put("ID", id).put("Image", image).put("Command", cmd).put("CreatedHuman", created)
                .put("Status", status).put("Ports", "").put("Names", names);
        return n;
    }

    private static Map<String, String> psHeaders() {
        Map<String, String> h = Headers.of(List.of("ID", "Image", "Command", "CreatedHuman", "Status", "Ports", "Names"),
                Map.of("ID", "container id", "CreatedHuman", "created"));
        return new LinkedHashMap<>(h);
    }

    private static final List<JsonNode> PS = List.of(
            container("3c2a8d5e1f0b", "docker.io/library/alpine:latest", "sleep 1000", "2 minutes ago",
                    "Up 2 minutes", "web"),
            container("9f1e22d4c6aa", "localhost/kpod-pause:latest", "/bin/sh -c while ...", "5 seconds ago",
                    "Exited (0) 3 seconds ago", "a-much-longer-name"));

    @Test
    void defaultPsTable() {
        String ps = "{{range .}}{{.ID}}\t{{.Image}}\t{{.Command}}\t{{.CreatedHuman}}\t{{.Status}}\t{{.Ports}}\t{{.Names}}\n{{end -}}";
        String out = ReportFormatter.parse("ps", Origin.PODMAN, ps).render(psHeaders(), PS, false);
        // widths: widest cell + 2, at least 12; the last column is not padded
        String f = "%-14s%-33s%-22s%-15s%-26s%-12s%s\n";
        assertThat(out).isEqualTo(
                String.format(f, "CONTAINER ID", "IMAGE", "COMMAND", "CREATED", "STATUS", "PORTS", "NAMES")
                + String.format(f, "3c2a8d5e1f0b", "docker.io/library/alpine:latest", "sleep 1000", "2 minutes ago",
                        "Up 2 minutes", "", "web")
                + String.format(f, "9f1e22d4c6aa", "localhost/kpod-pause:latest", "/bin/sh -c while ...",
                        "5 seconds ago", "Exited (0) 3 seconds ago", "", "a-much-longer-name"));
        assertThat(out).startsWith("CONTAINER ID  IMAGE                            COMMAND               CREATED  ");
        assertThat(ReportFormatter.parse("ps", Origin.PODMAN, ps).render(psHeaders(), PS, true))
                .startsWith("3c2a8d5e1f0b  ");
    }

    @Test
    void userTableWithSpacesAndQuotedArguments() {
        String out = ReportFormatter.parse("ps", Origin.USER, "table {{.ID}} {{.Names}}").render(psHeaders(), PS, false);
        assertThat(out).isEqualTo("CONTAINER ID  NAMES\n3c2a8d5e1f0b  web\n9f1e22d4c6aa  a-much-longer-name\n");
        // spaces become tabs even inside quotes, so printf's output is split into the same two columns
        String quoted = ReportFormatter.parse("ps", Origin.USER, "table {{printf \"%s %s\" .ID .Names}}")
                .render(psHeaders(), PS, false);
        assertThat(quoted).isEqualTo(out);
        // no table, no headers, one line per item
        assertThat(ReportFormatter.parse("ps", Origin.USER, "{{.Names}}").render(psHeaders(), PS, false))
                .isEqualTo("web\na-much-longer-name\n");
    }

    @Test
    void headersSplitCamelCase() {
        assertThat(Headers.splitCamelCase("PDFLoader")).containsExactly("PDF", "Loader");
        assertThat(Headers.splitCamelCase("GL11Version")).containsExactly("GL", "11", "Version");
        assertThat(Headers.splitCamelCase("SimpleXMLParser")).containsExactly("Simple", "XML", "Parser");
        assertThat(Headers.splitCamelCase("vimRPCPlugin")).containsExactly("vim", "RPC", "Plugin");
        assertThat(Headers.splitCamelCase("MyC")).containsExactly("My", "C");
        assertThat(Headers.splitCamelCase("BFG9000")).containsExactly("BFG", "9000");
        assertThat(Headers.of(List.of("NumberOfContainers", "InfraID", "Fieldb"), Map.of("Fieldb", "field b")))
                .containsEntry("NumberOfContainers", "NUMBER OF CONTAINERS")
                .containsEntry("InfraID", "INFRA ID")
                .containsEntry("Fieldb", "FIELD B");
    }
}
