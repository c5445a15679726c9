package io.kpod.kube.yaml;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import com.fasterxml.jackson.databind.deser.std.StdDeserializer;
import io.fabric8.kubernetes.api.model.Quantity;
import java.io.IOException;
import java.util.regex.Pattern;

/**
 * Reads a resource quantity and checks it as Kubernetes' ParseQuantity does, at parse time:
 * fabric8's own deserializer accepts {@code memory: abc} and leaves the failure for later. A
 * number is taken by its decimal value, as Go's JSON encoding of a YAML number would give it.
 */
final class QuantityDeserializer extends StdDeserializer<Quantity> {
    private static final long serialVersionUID = 1L;
    private static final Pattern QUANTITY = Pattern.compile(
            "[+-]?([0-9]+(\\.[0-9]*)?|\\.[0-9]+)(([KMGTPE]i)|[numkMGTPE]|([eE][-+]?[0-9]+))?");

    QuantityDeserializer() {
        super(Quantity.class);
    }

    @Override
    public Quantity deserialize(JsonParser p, DeserializationContext ctxt) throws IOException {
        JsonToken t = p.currentToken();
        String text;
        if (t == JsonToken.VALUE_NUMBER_INT) {
            text = p.getBigIntegerValue().toString();
        } else if (t == JsonToken.VALUE_NUMBER_FLOAT) {
            text = p.getDecimalValue().stripTrailingZeros().toPlainString();
        } else if (t == JsonToken.VALUE_STRING) {
            text = p.getText().trim();
        } else {
            return (Quantity) ctxt.handleUnexpectedToken(Quantity.class, p);
        }
        if (!QUANTITY.matcher(text).matches()) {
            return (Quantity) ctxt.handleWeirdStringValue(Quantity.class, text, "not a quantity");
        }
        return new Quantity(text);
    }

    /** Mix-in that puts this deserializer in place of the one fabric8 annotates Quantity with. */
    @JsonDeserialize(using = QuantityDeserializer.class)
    abstract static class MixIn {
    }
}
