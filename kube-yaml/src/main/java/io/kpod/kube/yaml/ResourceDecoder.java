package io.kpod.kube.yaml;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Secret;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.snakeyaml.engine.v2.nodes.Node;

/**
 * One document's JSON tree to fabric8 objects: typed for the kinds kpod honours, generic for
 * the rest, {@code kind: List} flattened. Failures carry the file, document, line and field path.
 */
final class ResourceDecoder {
    private final ObjectMapper typed;
    private final ObjectMapper generic;
    private final boolean strict;

    ResourceDecoder(ObjectMapper typed, ObjectMapper generic, boolean strict) {
        this.typed = typed;
        this.generic = generic;
        this.strict = strict;
    }

    /** Where a document came from: its source name, 1-based index and YAML node tree (for lines). */
    record Origin(String file, int index, Node root) {
    }

    void decode(Origin origin, ObjectNode object, List<Object> prefix, List<ParsedDocument> out,
            List<ManifestWarning> warnings) {
        String apiVersion = requiredText(origin, object, prefix, "apiVersion");
        String kind = requiredText(origin, object, prefix, "kind");
        int line = FieldPaths.lineOf(origin.root(), prefix);
        if (KindRegistry.isList(apiVersion, kind)) {
            decodeList(origin, object, prefix, out, warnings);
            return;
        }
        Class<? extends HasMetadata> type = KindRegistry.typeOf(apiVersion, kind);
        HasMetadata resource;
        if (type == null) {
            resource = read(generic, GenericKubernetesResource.class, origin, object, prefix, null);
        } else {
            ModelMappers.UnknownFields unknown = new ModelMappers.UnknownFields();
            resource = read(typed, type, origin, object, prefix, unknown);
            checkBase64(origin, prefix, resource);
            for (List<Object> relative : unknown.paths) {
                List<Object> path = concat(prefix, relative);
                int fieldLine = FieldPaths.lineOf(origin.root(), path);
                if (strict) {
                    throw new InvalidManifestException(origin.file(), origin.index(), fieldLine,
                            FieldPaths.render(path), "unknown field");
                }
                warnings.add(new ManifestWarning(origin.file(), origin.index(), fieldLine, FieldPaths.render(path),
                        "unknown field, ignored"));
            }
        }
        out.add(new ParsedDocument(origin.file(), origin.index(), line, resource));
    }

    private void decodeList(Origin origin, ObjectNode list, List<Object> prefix, List<ParsedDocument> out,
            List<ManifestWarning> warnings) {
        JsonNode items = list.get("items");
        if (items == null || items.isNull()) {
            return;
        }
        List<Object> itemsPath = concat(prefix, List.of("items"));
        if (!items.isArray()) {
            throw error(origin, itemsPath, "expected a list, found " + Problems.describeValue(items));
        }
        for (int i = 0; i < items.size(); i++) {
            List<Object> itemPath = concat(itemsPath, List.of(i));
            if (!(items.get(i) instanceof ObjectNode item)) {
                throw error(origin, itemPath, "expected a mapping (a Kubernetes object), found "
                        + Problems.describeValue(items.get(i)));
            }
            decode(origin, item, itemPath, out, warnings);
        }
    }

    private <T extends HasMetadata> T read(ObjectMapper mapper, Class<T> type, Origin origin, ObjectNode object,
            List<Object> prefix, ModelMappers.UnknownFields unknown) {
        try (GoValueParser parser = new GoValueParser(object, mapper)) {
            var reader = mapper.readerFor(type);
            if (unknown != null) {
                reader = reader.withAttribute(ModelMappers.UNKNOWN_FIELDS, unknown);
            }
            return reader.readValue(parser);
        } catch (JsonMappingException e) {
            List<Object> relative = FieldPaths.fromJackson(e.getPath());
            throw new InvalidManifestException(origin.file(), origin.index(),
                    FieldPaths.lineOf(origin.root(), concat(prefix, relative)), FieldPaths.render(concat(prefix, relative)),
                    Problems.describe(e, valueAt(object, relative)), e);
        } catch (JacksonException e) {
            throw new InvalidManifestException(origin.file(), origin.index(), FieldPaths.lineOf(origin.root(), prefix),
                    FieldPaths.render(prefix), Problems.describe(e, null), e);
        } catch (IOException e) {
            // the tree is in memory; an I/O failure here is our bug, not the manifest's
            throw new IllegalStateException(e);
        }
    }

    /**
     * Secret {@code data} and ConfigMap {@code binaryData} hold base64, which Go's decoder checks
     * when it reads the object ({@code []byte} fields); an undecodable value is refused here, at
     * its field, rather than when kube play writes the files.
     */
    private static void checkBase64(Origin origin, List<Object> prefix, HasMetadata resource) {
        String field;
        Map<String, String> values;
        if (resource instanceof Secret s) {
            field = "data";
            values = s.getData();
        } else if (resource instanceof ConfigMap c) {
            field = "binaryData";
            values = c.getBinaryData();
        } else {
            return;
        }
        if (values == null) {
            return;
        }
        for (Map.Entry<String, String> e : values.entrySet()) {
            try {
                // as Go's base64.StdEncoding: line breaks are skipped, anything else must be base64, padded
                String value = e.getValue().replace("\r", "").replace("\n", "");
                if (value.length() % 4 != 0) {
                    throw new IllegalArgumentException("its length is not a multiple of 4: '=' padding missing?");
                }
                Base64.getDecoder().decode(value);
            } catch (IllegalArgumentException ex) {
                throw error(origin, concat(prefix, List.of(field, new FieldPaths.MapKey(e.getKey()))),
                        "is not valid base64 (" + ex.getMessage() + ")"
                                + (field.equals("data") ? "; plain text belongs in stringData" : ""));
            }
        }
    }

    private static String requiredText(Origin origin, ObjectNode object, List<Object> prefix, String field) {
        JsonNode v = object.get(field);
        List<Object> path = concat(prefix, List.of(field));
        if (v == null || v.isNull() || (v.isTextual() && v.textValue().isBlank())) {
            throw error(origin, path, "required field is missing");
        }
        if (!v.isValueNode()) {
            throw error(origin, path, "expected a string, found " + Problems.describeValue(v));
        }
        return v.asText();
    }

    private static JsonNode valueAt(JsonNode root, List<Object> path) {
        JsonNode n = root;
        for (Object s : path) {
            if (n == null) {
                return null;
            }
            n = s instanceof Integer i ? n.get(i)
                    : n.get(s instanceof FieldPaths.MapKey k ? k.key() : String.valueOf(s));
        }
        return n;
    }

    private static InvalidManifestException error(Origin origin, List<Object> path, String reason) {
        return new InvalidManifestException(origin.file(), origin.index(), FieldPaths.lineOf(origin.root(), path),
                FieldPaths.render(path), reason);
    }

    private static List<Object> concat(List<Object> a, List<Object> b) {
        List<Object> out = new ArrayList<>(a.size() + b.size());
        out.addAll(a);
        out.addAll(b);
        return out;
    }
}
