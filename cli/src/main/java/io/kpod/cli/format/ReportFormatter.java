package io.kpod.cli.format;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kpod.spec.KpodException;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Podman's report.Formatter: turns a {@code --format} string into a template the way Podman does
 * ("table " prefix, literal \t and \n, an implicit {@code {{range .}}} around user formats, a final
 * newline), renders header and data rows, and aligns tables with Podman's tab writer.
 */
public final class ReportFormatter {
    /** Who wrote the format: kpod's built-in default (always a table) or the user's --format. */
    public enum Origin { PODMAN, USER }

    private static final Pattern JSON = Pattern.compile("^\\s*(json|\\{\\{\\s*json\\.?\\s*}})\\s*$");
    private static final Pattern RANGE = Pattern.compile("(?s)\\{\\{\\s*range\\s*\\.\\s*}}.*\\{\\{\\s*end\\s*-?\\s*}}");
    private static final String[] ESCAPES = {"\\t", "\t", "\\n", "\n"};
    private static final String[] TABLE = {"table ", "", "\\t", "\t", " ", "\t", "\\n", "\n"};

    private final GoTemplate template;
    private final boolean table;
    private final TableWriter tabs;
    private final StringBuilder plain = new StringBuilder();

    private ReportFormatter(GoTemplate template, boolean table, boolean tabular) {
        this.template = template;
        this.table = table;
        this.tabs = tabular ? TableWriter.podman() : null;
    }

    /** Parses {@code format} as Podman's Formatter.Parse does; {@code name} is the command name for errors. */
    public static ReportFormatter parse(String name, Origin origin, String format) {
        boolean table = hasTable(format);
        String normalized;
        String original;
        if (table) {
            normalized = "{{range .}}" + normalizeFormat(format) + "{{end -}}";
            original = "{{range .}}" + format.substring("table ".length()) + "{{end -}}";
        } else if (origin == Origin.USER) {
            normalized = enforceRange(normalizeFormat(format));
            original = enforceRange(format);
        } else {
            normalized = normalizeFormat(format);
            original = format;
        }
        GoTemplate t;
        try {
            t = GoTemplate.parse(name, normalized);
        } catch (KpodException e) {
            // Podman retries unmunged text, so '{{printf "\n"}}' and quoted spaces in tables still work
            t = GoTemplate.parse(name, original);
        }
        return new ReportFormatter(t, table, table || origin == Origin.PODMAN);
    }

    /** True if the format starts with "table ". */
    public static boolean hasTable(String format) {
        return format.startsWith("table ");
    }

    /** True for {@code json}, {@code {{json}}} or {@code {{ json. }}}: the caller prints JSON instead. */
    public static boolean isJson(String format) {
        return JSON.matcher(format).find();
    }

    /** Podman's NormalizeFormat: expands literal \t and \n (and spaces, for tables) and ends with a newline. */
    public static String normalizeFormat(String format) {
        String f = replace(format, hasTable(format) ? TABLE : ESCAPES);
        return f.endsWith("\n") ? f : f + "\n";
    }

    /** Podman's EnforceRange: wraps the format in {@code {{range .}}…{{end -}}} unless it ranges over dot. */
    public static String enforceRange(String format) {
        return RANGE.matcher(format).find() ? format : "{{range .}}" + format + "{{end -}}";
    }

    /** Go's strings.Replacer: one left-to-right pass, earlier pairs win at the same position. */
    private static String replace(String s, String[] pairs) {
        StringBuilder sb = new StringBuilder();
        int i = 0;
        outer:
        while (i < s.length()) {
            for (int p = 0; p < pairs.length; p += 2) {
                if (s.startsWith(pairs[p], i)) {
                    sb.append(pairs[p + 1]);
                    i += pairs[p].length();
                    continue outer;
                }
            }
            sb.append(s.charAt(i++));
        }
        return sb.toString();
    }

    /** The parsed template. */
    public GoTemplate template() {
        return template;
    }

    /** True if the user asked for a table ("table " prefix). */
    public boolean isTable() {
        return table;
    }

    /** True if output goes through the tab writer, in which case Podman prints a header row. */
    public boolean rendersHeaders() {
        return tabs != null;
    }

    /** Renders the header row: the template over a one-element list holding the column titles as a Go map. */
    public ReportFormatter writeHeaders(Map<String, String> titles) {
        ObjectNode h = JsonNodeFactory.instance.objectNode();
        titles.forEach(h::put);
        ArrayNode list = JsonNodeFactory.instance.arrayNode().add(h);
        emit(template.executeOnMaps(list));
        return this;
    }

    /** Renders the rows: the template over the list of rows. */
    public ReportFormatter writeRows(List<? extends JsonNode> rows) {
        ArrayNode list = JsonNodeFactory.instance.arrayNode();
        rows.forEach(list::add);
        return execute(list);
    }

    /** Renders the template over {@code data} as given. */
    public ReportFormatter execute(JsonNode data) {
        emit(template.execute(data));
        return this;
    }

    private void emit(String s) {
        if (tabs != null) {
            tabs.write(s);
        } else {
            plain.append(s);
        }
    }

    /** Returns everything rendered so far, aligned if tabular, and starts afresh. */
    public String flush() {
        if (tabs != null) {
            return tabs.flush();
        }
        String s = plain.toString();
        plain.setLength(0);
        return s;
    }

    /**
     * The whole output of a listing command: headers (when the format is tabular, {@code titles} is not
     * null and {@code noHeading} is false) then the rows.
     */
    public String render(Map<String, String> titles, List<? extends JsonNode> rows, boolean noHeading) {
        if (rendersHeaders() && titles != null && !noHeading) {
            writeHeaders(titles);
        }
        writeRows(rows);
        return flush();
    }
}
