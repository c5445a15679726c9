package io.kpod.cli.format;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.DoubleNode;
import io.kpod.spec.KpodException;
import org.junit.jupiter.api.Test;

class JsonOutputTest {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private static JsonNode json(String s) throws Exception {
        return MAPPER.readTree(s);
    }

    @Test
    void marshalIndentLikeGo() throws Exception {
        JsonNode v = json("[{\"a\":1,\"b\":[],\"c\":{},\"d\":[1,\"x<y&z\"],\"e\":null,\"f\":true}]");
        assertThat(JsonOutput.marshalIndent(v, JsonOutput.IMAGES_INDENT)).isEqualTo("""
                [
                    {
                        "a": 1,
                        "b": [],
                        "c": {},
                        "d": [
                            1,
                            "x\\u003cy\\u0026z"
                        ],
                        "e": null,
                        "f": true
                    }
                ]""");
        assertThat(JsonOutput.list(json("[]"), JsonOutput.LIST_INDENT)).isEqualTo("[]\n");
        assertThat(JsonOutput.list(json("[{\"Id\":\"x\"}]"), JsonOutput.LIST_INDENT))
                .isEqualTo("[\n  {\n    \"Id\": \"x\"\n  }\n]\n");
    }

    @Test
    void inspectUsesFiveSpacesAndNoHtmlEscaping() throws Exception {
        assertThat(JsonOutput.inspect(json("[{\"Cmd\":[\"a<b\"]}]")))
                .isEqualTo("[\n     {\n          \"Cmd\": [\n               \"a<b\"\n          ]\n     }\n]\n");
    }

    @Test
    void compactAndGoStringEscapes() throws Exception {
        JsonNode v = json("{\"s\":\"tab\\t nl\\n \\u0001 \\u2028 é \\\"q\\\" \\\\ <>&\"}");
        assertThat(JsonOutput.marshal(v))
                .isEqualTo("{\"s\":\"tab\\t nl\\n \\u0001 \\u2028 é \\\"q\\\" \\\\ \\u003c\\u003e\\u0026\"}");
        assertThat(JsonOutput.templateJson(v))
                .isEqualTo("{\"s\":\"tab\\t nl\\n \\u0001 \\u2028 é \\\"q\\\" \\\\ <>&\"}");
        assertThat(JsonOutput.marshal(json("\"\\ud800x\""))).isEqualTo("\"\\ufffdx\"");
    }

    @Test
    void floatsLikeEncodingJson() {
        assertThat(JsonOutput.marshal(DoubleNode.valueOf(1.5))).isEqualTo("1.5");
        assertThat(JsonOutput.marshal(DoubleNode.valueOf(100.0))).isEqualTo("100");
        assertThat(JsonOutput.marshal(DoubleNode.valueOf(1e21))).isEqualTo("1e+21");
        assertThat(JsonOutput.marshal(DoubleNode.valueOf(1e20))).isEqualTo("100000000000000000000");
        assertThat(JsonOutput.marshal(DoubleNode.valueOf(1e-7))).isEqualTo("1e-7");
        assertThat(JsonOutput.marshal(DoubleNode.valueOf(0.000001))).isEqualTo("0.000001");
        assertThat(JsonOutput.marshal(DoubleNode.valueOf(0.1 + 0.2))).isEqualTo("0.30000000000000004");
        assertThatThrownBy(() -> JsonOutput.marshal(DoubleNode.valueOf(Double.NaN)))
                .isInstanceOf(KpodException.class).hasMessage("json: unsupported value: NaN");
    }

    @Test
    void goFloatFormatting() {
        assertThat(GoNumbers.format(1e6, 'g', -1)).isEqualTo("1e+06");
        assertThat(GoNumbers.format(123456789.0, 'g', -1)).isEqualTo("1.23456789e+08");
        assertThat(GoNumbers.format(0.000012, 'g', -1)).isEqualTo("1.2e-05");
        assertThat(GoNumbers.format(0.0001, 'g', -1)).isEqualTo("0.0001");
        assertThat(GoNumbers.format(3.14159, 'f', 2)).isEqualTo("3.14");
        assertThat(GoNumbers.format(0.125, 'f', 2)).isEqualTo("0.12");
        assertThat(GoNumbers.format(1234.5, 'e', 6)).isEqualTo("1.234500e+03");
        assertThat(GoNumbers.format(-2.5, 'g', 3)).isEqualTo("-2.5");
        assertThat(GoNumbers.format(100, 'g', 3)).isEqualTo("100");
        assertThat(GoNumbers.format(0, 'g', -1)).isEqualTo("0");
    }
}
