package io.kpod.network;

import com.fasterxml.jackson.core.SerializableString;
import com.fasterxml.jackson.core.io.CharacterEscapes;
import com.fasterxml.jackson.core.io.SerializedString;
import com.fasterxml.jackson.core.util.DefaultIndenter;
import com.fasterxml.jackson.core.util.DefaultPrettyPrinter;
import com.fasterxml.jackson.core.util.Separators;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectWriter;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.kpod.spec.KpodException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;

/** The one configured JSON mapper of this module, writing the way Go's encoding/json does. */
public final class NetworkJson {
    private static final ObjectMapper MAPPER = create();
    private static final ObjectWriter PODMAN_WRITER = MAPPER.writer(goPrettyPrinter());

    private NetworkJson() {
    }

    /** The shared mapper: unknown fields ignored (newer Podman fields), map keys sorted like Go. */
    public static ObjectMapper mapper() {
        return MAPPER;
    }

    private static ObjectMapper create() {
        ObjectMapper m = new ObjectMapper();
        m.configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);
        m.configure(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS, true);
        // Go escapes <, > and & by default; doing the same keeps files byte-identical to Podman's.
        m.getFactory().setCharacterEscapes(new GoEscapes());
        return m;
    }

    private static DefaultPrettyPrinter goPrettyPrinter() {
        Separators seps = Separators.createDefaultInstance()
                .withObjectFieldValueSpacing(Separators.Spacing.AFTER)
                .withObjectEmptySeparator("")
                .withArrayEmptySeparator("");
        DefaultPrettyPrinter pp = new DefaultPrettyPrinter(seps);
        DefaultIndenter indent = new DefaultIndenter("     ", "\n");
        pp.indentObjectsWith(indent);
        pp.indentArraysWith(indent);
        return pp;
    }

    /** A network as Podman's json.Encoder with a five-space indent writes it, newline included. */
    public static String toPodmanFile(Network n) {
        try {
            return PODMAN_WRITER.writeValueAsString(n) + "\n";
        } catch (IOException e) {
            throw KpodException.internal("cannot serialize network " + n.name(), e);
        }
    }

    public static Network readNetwork(byte[] json) {
        try {
            return MAPPER.readValue(json, Network.class);
        } catch (IOException e) {
            throw KpodException.invalid("invalid network definition: " + e.getMessage());
        }
    }

    /** Compact JSON, as sent to netavark on stdin. */
    public static byte[] compact(Object value) {
        try {
            return MAPPER.writeValueAsString(value).getBytes(StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw KpodException.internal("cannot serialize " + value.getClass().getSimpleName(), e);
        }
    }

    private static final class GoEscapes extends CharacterEscapes {
        private static final long serialVersionUID = 1L;
        private final int[] table;

        GoEscapes() {
            table = standardAsciiEscapesForJSON();
            table['<'] = ESCAPE_CUSTOM;
            table['>'] = ESCAPE_CUSTOM;
            table['&'] = ESCAPE_CUSTOM;
        }

        @Override
        public int[] getEscapeCodesForAscii() {
            return table;
        }

        @Override
        public SerializableString getEscapeSequence(int ch) {
            if (ch == '<' || ch == '>' || ch == '&' || ch == 0x2028 || ch == 0x2029) {
                return new SerializedString(String.format("\\u%04x", ch));
            }
            return null;
        }
    }
}
