package io.kpod.kube.yaml;

import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.ObjectCodec;
import com.fasterxml.jackson.core.exc.InputCoercionException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.TreeTraversingParser;
import java.io.IOException;
import java.math.BigDecimal;
import java.math.BigInteger;

/**
 * Feeds a converted YAML tree to Jackson with Go's conversions: a float read into a string
 * field takes Go's text ({@code 1.0} becomes {@code "1"}), and a float read into an integer
 * field must be whole ({@code replicas: 2.0} is 2, {@code replicas: 2.5} an error), as
 * encoding/json decides after sigs.k8s.io/yaml.
 */
final class GoValueParser extends TreeTraversingParser {

    GoValueParser(JsonNode root, ObjectCodec codec) {
        super(root, codec);
    }

    @Override
    public String getText() {
        if (currentToken() == JsonToken.VALUE_NUMBER_FLOAT && currentNode() instanceof GoScalars.GoFloatNode f) {
            return f.asText();
        }
        return super.getText();
    }

    @Override
    public int getIntValue() throws IOException {
        requireWhole(Integer.TYPE);
        return super.getIntValue();
    }

    @Override
    public long getLongValue() throws IOException {
        requireWhole(Long.TYPE);
        return super.getLongValue();
    }

    @Override
    public BigInteger getBigIntegerValue() throws IOException {
        requireWhole(BigInteger.class);
        return super.getBigIntegerValue();
    }

    private void requireWhole(Class<?> target) throws IOException {
        if (currentToken() != JsonToken.VALUE_NUMBER_FLOAT) {
            return;
        }
        double d = currentNode().doubleValue();
        if (Double.isNaN(d) || Double.isInfinite(d) || new BigDecimal(d).stripTrailingZeros().scale() > 0) {
            throw new InputCoercionException(this, "cannot parse " + getText() + " as an integer",
                    JsonToken.VALUE_NUMBER_FLOAT, target);
        }
    }
}
