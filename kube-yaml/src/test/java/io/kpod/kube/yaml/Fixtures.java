package io.kpod.kube.yaml;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/** Reads fixture manifests from src/test/resources/manifests. */
final class Fixtures {
    private Fixtures() {
    }

    static String text(String name) {
        try (InputStream in = Fixtures.class.getResourceAsStream("/manifests/" + name)) {
            if (in == null) {
                throw new IllegalArgumentException("no fixture " + name);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The fixture parsed as text named after its file name, as a user would see it in messages. */
    static ParseResult parse(KubeYaml yaml, String name) {
        String label = name.substring(name.lastIndexOf('/') + 1);
        return yaml.parseText(label, text(name));
    }
}
