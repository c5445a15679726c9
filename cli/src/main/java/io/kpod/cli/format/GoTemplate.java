package io.kpod.cli.format;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.MissingNode;
import io.kpod.cli.format.TemplateNodes.Node;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A Go text/template, parsed once and executed over JSON data, so {@code --format} strings written for
 * Podman work with kpod. Covers actions, pipelines, variables, if/else if/with/range (break, continue),
 * define/template/block, trim markers, comments, Go's builtin functions and Podman's additions
 * (join, json, lower, upper, title, pad, split, truncate). JSON objects are Go structs: a missing field is
 * an error (after a case-insensitive retry); objects under a map field (Labels, Annotations, Options by
 * default) follow Go map rules: exact keys, a missing key prints {@code <no value>}.
 * Errors are {@code KpodException}s of kind INVALID worded as Go words them.
 */
public final class GoTemplate {
    /** Field names whose object values are Go maps in Podman's reports. */
    public static final Set<String> DEFAULT_MAP_FIELDS = Set.of("Labels", "Annotations", "Options");

    private final String name;
    private final String text;
    private final TemplateParser.Parsed parsed;
    private final Set<String> mapFields;

    private GoTemplate(String name, String text, TemplateParser.Parsed parsed, Set<String> mapFields) {
        this.name = name;
        this.text = text;
        this.parsed = parsed;
        this.mapFields = mapFields;
    }

    /** Parses {@code text}; {@code name} appears in error messages as Go's template name does. */
    public static GoTemplate parse(String name, String text) {
        return new GoTemplate(name, text, TemplateParser.parse(name, text, TemplateFuncs.FUNCS.keySet()),
                DEFAULT_MAP_FIELDS);
    }

    /** A copy whose map-typed field names are {@code names} instead of {@link #DEFAULT_MAP_FIELDS}. */
    public GoTemplate withMapFields(Set<String> names) {
        return new GoTemplate(name, text, parsed, Set.copyOf(names));
    }

    /** The template's name. */
    public String name() {
        return name;
    }

    /** The source text that was parsed. */
    public String text() {
        return text;
    }

    /** Runs the template with {@code data} as dot and returns the output. */
    public String execute(JsonNode data) {
        return run(data, false);
    }

    /**
     * Runs the template treating every object as a Go map (missing keys print {@code <no value>}); this is
     * how Podman renders table headers, by executing the row template over a map of column titles.
     */
    public String executeOnMaps(JsonNode data) {
        return run(data, true);
    }

    private String run(JsonNode data, boolean allMaps) {
        JsonNode root = data == null ? MissingNode.getInstance() : data;
        StringBuilder out = new StringBuilder();
        Map<String, List<Node>> defined = parsed.defined();
        new TemplateExecutor(name, text, defined, mapFields, allMaps, root, out).run(parsed.main(), root);
        return out.toString();
    }
}
