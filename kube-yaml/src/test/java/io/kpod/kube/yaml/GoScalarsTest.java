package io.kpod.kube.yaml;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class GoScalarsTest {

    @ParameterizedTest(name = "{0} -> {1} {2}")
    @CsvSource(delimiter = '|', quoteCharacter = '\'', textBlock = """
            0644         | int    | 420
            0o644        | int    | 420
            0x1F         | int    | 31
            0b101        | int    | 5
            -0644        | int    | -420
            1_000        | int    | 1000
            +12          | int    | 12
            9223372036854775807  | int | 9223372036854775807
            18446744073709551615 | int | 18446744073709551615
            08           | float  | 8.0
            1.5          | float  | 1.5
            .5           | float  | 0.5
            1e3          | float  | 1000.0
            .inf         | float  | Infinity
            yes          | bool   | true
            Y            | bool   | true
            On           | bool   | true
            NO           | bool   | false
            off          | bool   | false
            ~            | null   | null
            Null         | null   | null
            ''           | null   | null
            nginx        | string | nginx
            1.2.3        | string | 1.2.3
            2024-01-02   | string | 2024-01-02
            0x           | string | 0x
            -            | string | -
            1e400        | string | 1e400
            yEs          | string | yEs
            """)
    void plainScalarsResolveAsGoYamlV2Does(String in, String type, String value) {
        JsonNode n = GoScalars.resolvePlain(in == null ? "" : in);
        switch (type) {
            case "int" -> assertThat(n.isIntegralNumber()).isTrue();
            case "float" -> assertThat(n.isFloatingPointNumber()).isTrue();
            case "bool" -> assertThat(n.isBoolean()).isTrue();
            case "null" -> assertThat(n.isNull()).isTrue();
            default -> assertThat(n.isTextual()).isTrue();
        }
        String shown = n.isFloatingPointNumber() ? String.valueOf(n.doubleValue()) : n.isNull() ? "null" : n.asText();
        if (n.isFloatingPointNumber()) {
            assertThat(shown).isEqualTo(value);
        } else {
            assertThat(n.isTextual() ? n.textValue() : shown).isEqualTo(value);
        }
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', textBlock = """
            1.0        | 1
            1.5        | 1.5
            0.1        | 0.1
            100000     | 100000
            1000000    | 1e+06
            1234567    | 1.234567e+06
            0.0001     | 0.0001
            0.00001    | 1e-05
            -2.5       | -2.5
            3.14159265358979 | 3.1415927
            1e21       | 1e+21
            """)
    void floatsInStringFieldsTakeGosFloat32Text(double in, String expected) {
        assertThat(GoScalars.formatFloat32(in)).isEqualTo(expected);
    }
}
