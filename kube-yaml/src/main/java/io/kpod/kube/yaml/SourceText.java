package io.kpod.kube.yaml;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/** A source's bytes as text: bounded in size and strictly UTF-8, as Kubernetes manifests are. */
final class SourceText {
    private SourceText() {
    }

    static String read(ManifestSource source, YamlLimits limits) {
        byte[] bytes;
        try {
            bytes = source.read(limits.maxSourceBytes());
        } catch (IOException e) {
            throw new InvalidManifestException(source.name(), 0, 0, "", "cannot read: " + e.getMessage(), e);
        }
        if (bytes.length > limits.maxSourceBytes()) {
            throw new InvalidManifestException(source.name(), 0, 0, "",
                    "larger than " + limits.maxSourceBytes() + " bytes; split it into smaller files");
        }
        return decode(source.name(), bytes);
    }

    static String decode(String name, byte[] bytes) {
        int start = 0;
        if (bytes.length >= 3 && (bytes[0] & 0xff) == 0xEF && (bytes[1] & 0xff) == 0xBB && (bytes[2] & 0xff) == 0xBF) {
            start = 3;
        } else if (bytes.length >= 2 && ((bytes[0] & 0xff) == 0xFE && (bytes[1] & 0xff) == 0xFF
                || (bytes[0] & 0xff) == 0xFF && (bytes[1] & 0xff) == 0xFE)) {
            throw new InvalidManifestException(name, 0, 1, "", "is UTF-16 encoded; save it as UTF-8");
        }
        CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        ByteBuffer in = ByteBuffer.wrap(bytes, start, bytes.length - start);
        CharBuffer out = CharBuffer.allocate(bytes.length);
        CoderResult result = decoder.decode(in, out, true);
        if (result.isError()) {
            int offset = in.position();
            int line = 1;
            for (int i = 0; i < offset; i++) {
                if (bytes[i] == '\n') {
                    line++;
                }
            }
            throw new InvalidManifestException(name, 0, line, "", String.format(
                    "is not valid UTF-8 (byte 0x%02X at offset %d); save it as UTF-8", bytes[offset] & 0xff, offset));
        }
        decoder.flush(out);
        return out.flip().toString();
    }
}
