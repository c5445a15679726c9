package io.kpod.kube.yaml;

import java.util.Map;
import org.snakeyaml.engine.v2.api.ConstructNode;
import org.snakeyaml.engine.v2.api.LoadSettings;
import org.snakeyaml.engine.v2.composer.Composer;
import org.snakeyaml.engine.v2.exceptions.MarkedYamlEngineException;
import org.snakeyaml.engine.v2.exceptions.ReaderException;
import org.snakeyaml.engine.v2.exceptions.YamlEngineException;
import org.snakeyaml.engine.v2.nodes.Node;
import org.snakeyaml.engine.v2.nodes.Tag;
import org.snakeyaml.engine.v2.parser.ParserImpl;
import org.snakeyaml.engine.v2.resolver.ScalarResolver;
import org.snakeyaml.engine.v2.schema.Schema;
import org.snakeyaml.engine.v2.scanner.StreamReader;

/**
 * Splits one source into snakeyaml-engine node trees, one per document, within the limits.
 * Untagged plain scalars get the {@link #PLAIN} tag instead of a YAML 1.2 resolution, so that
 * {@link NodeConverter} can resolve them with Go's YAML 1.1 rules.
 */
final class YamlDocuments {
    /** Marks a plain scalar without an explicit tag; never appears in output. */
    static final Tag PLAIN = new Tag("tag:kpod.io,2025:plain");

    private static final Schema PLAIN_MARKING_SCHEMA = new Schema() {
        private final ScalarResolver resolver = (value, implicit) -> implicit ? PLAIN : Tag.STR;

        @Override
        public ScalarResolver getScalarResolver() {
            return resolver;
        }

        @Override
        public Map<Tag, ConstructNode> getSchemaTagConstructors() {
            return Map.of();
        }
    };

    /** Receives each document's root node with its 1-based index in the source. */
    interface Visitor {
        void document(int index, Node root);
    }

    private final YamlLimits limits;

    YamlDocuments(YamlLimits limits) {
        this.limits = limits;
    }

    /**
     * The text is in memory already, so the reader's buffer holds all of it: with the default
     * 1 KiB buffer the scanner copies its window again for every KiB of a long scalar, which
     * made a 4 MiB one take seconds (quadratic); one window makes it linear.
     */
    private LoadSettings settings(String yaml) {
        return LoadSettings.builder()
                .setSchema(PLAIN_MARKING_SCHEMA)
                .setMaxAliasesForCollections(limits.maxAliasesForCollections())
                .setAllowRecursiveKeys(false)
                .setCodePointLimit(limits.maxCodePoints())
                .setBufferSize(Math.max(1024, Math.min(yaml.length(), limits.maxCodePoints()) + 1))
                .setParseComments(false)
                .setUseMarks(true)
                .build();
    }

    void read(String file, String text, Visitor visitor) {
        String yaml = JsonTabs.untab(text);
        LoadSettings settings = settings(yaml);
        LimitedParser parser = new LimitedParser(new ParserImpl(settings, new StreamReader(settings, yaml)), limits);
        Composer composer = new Composer(settings, parser);
        try {
            while (composer.hasNext()) {
                Node root = composer.next();
                // the composer has consumed the document's end, so the parser counts it as complete
                visitor.document(parser.documentsRead(), root);
            }
        } catch (LimitedParser.LimitExceededException e) {
            throw new InvalidManifestException(file, parser.documentIndex(), e.line(), "", e.getMessage());
        } catch (MarkedYamlEngineException e) {
            int line = e.getProblemMark().or(e::getContextMark).map(m -> m.getLine() + 1).orElse(0);
            String reason = e.getContext() == null || e.getContext().isBlank() ? e.getProblem()
                    : e.getContext() + ": " + e.getProblem();
            throw new InvalidManifestException(file, parser.documentIndex(), line, "",
                    "invalid YAML: " + reason, e);
        } catch (ReaderException e) {
            throw new InvalidManifestException(file, parser.documentIndex(), lineOfFirstUnprintable(text), "",
                    String.format("invalid YAML: character U+%04X is not allowed", e.getCodePoint()), e);
        } catch (YamlEngineException e) {
            throw new InvalidManifestException(file, parser.documentIndex(), 0, "", explain(e.getMessage()), e);
        }
    }

    /** snakeyaml reports where its buffer was, not where the character is; find it ourselves. */
    private static int lineOfFirstUnprintable(String text) {
        int line = 1;
        for (int i = 0; i < text.length();) {
            int cp = text.codePointAt(i);
            if (!StreamReader.isPrintable(cp)) {
                return line;
            }
            if (cp == '\n') {
                line++;
            }
            i += Character.charCount(cp);
        }
        return 0;
    }

    private String explain(String message) {
        if (message != null && message.startsWith("Number of aliases")) {
            return "more than " + limits.maxAliasesForCollections()
                    + " aliases to mappings or sequences (refusing a possible alias bomb)";
        }
        if (message != null && message.contains("exceeds the limit")) {
            return "larger than " + limits.maxCodePoints() + " characters";
        }
        return "invalid YAML: " + message;
    }
}
