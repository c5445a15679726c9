package io.kpod.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import io.kpod.cli.format.GoTemplate;
import io.kpod.cli.format.Headers;
import io.kpod.cli.format.JsonOutput;
import io.kpod.cli.format.ReportFormatter;
import io.kpod.engine.Json;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Prints reports the way Podman does: JSON arrays, Go templates, and tables with headers. */
public final class Output {
    private Output() {
    }

    /** {@code --format json} of a listing command: an indented array. */
    public static void json(PrintWriter out, List<? extends JsonNode> items) {
        json(out, items, JsonOutput.LIST_INDENT);
    }

    public static void json(PrintWriter out, List<? extends JsonNode> items, String indent) {
        ArrayNode arr = Json.MAPPER.createArrayNode();
        items.forEach(arr::add);
        out.print(JsonOutput.list(arr, indent));
        out.flush();
    }

    /**
     * A listing printed through a template: {@code format} is either kpod's default table or
     * the user's {@code --format}; {@code titles} renames fields in the header row.
     */
    public static void template(PrintWriter out, String format, List<? extends JsonNode> items,
                                Map<String, String> titles, boolean userFormat) {
        ReportFormatter f = ReportFormatter.parse("list", userFormat ? ReportFormatter.Origin.USER
                : ReportFormatter.Origin.PODMAN, format);
        Set<String> fields = new LinkedHashSet<>(titles.keySet());
        if (!items.isEmpty()) {
            items.get(0).fieldNames().forEachRemaining(fields::add);
        }
        out.print(f.render(Headers.of(fields, titles), items, false));
        out.flush();
    }

    /** {@code inspect}: a JSON array of documents, or each document through the user's template. */
    public static void document(PrintWriter out, String format, List<? extends JsonNode> docs) {
        if (format == null || format.isEmpty() || ReportFormatter.isJson(format)) {
            ArrayNode arr = Json.MAPPER.createArrayNode();
            docs.forEach(arr::add);
            String json = JsonOutput.inspect(arr);
            out.print(json.endsWith("\n") ? json : json + "\n");
        } else {
            GoTemplate t = GoTemplate.parse("inspect", ReportFormatter.normalizeFormat(format));
            List<String> lines = new ArrayList<>();
            for (JsonNode d : docs) {
                String s = t.execute(d);
                lines.add(s.endsWith("\n") ? s : s + "\n");
            }
            lines.forEach(out::print);
        }
        out.flush();
    }
}
