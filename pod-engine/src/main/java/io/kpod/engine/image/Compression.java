package io.kpod.engine.image;

import com.github.luben.zstd.ZstdInputStream;
import io.kpod.spec.KpodException;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import org.apache.commons.compress.compressors.bzip2.BZip2CompressorInputStream;
import org.apache.commons.compress.compressors.gzip.GzipCompressorInputStream;

/** Layer compression, told by the stream's magic bytes rather than a file name or media type. */
public enum Compression {
    NONE("application/vnd.oci.image.layer.v1.tar"),
    GZIP("application/vnd.oci.image.layer.v1.tar+gzip"),
    ZSTD("application/vnd.oci.image.layer.v1.tar+zstd"),
    BZIP2("application/x-bzip2");

    private final String layerMediaType;

    Compression(String layerMediaType) {
        this.layerMediaType = layerMediaType;
    }

    /** The OCI media type of a layer blob compressed this way. */
    public String layerMediaType() {
        return layerMediaType;
    }

    /** Peeks at the first bytes of {@code in}, which must support mark/reset. */
    public static Compression detect(InputStream in) throws IOException {
        in.mark(8);
        byte[] magic = in.readNBytes(6);
        in.reset();
        if (starts(magic, 0x1f, 0x8b)) {
            return GZIP;
        }
        if (starts(magic, 0x28, 0xb5, 0x2f, 0xfd)) {
            return ZSTD;
        }
        if (starts(magic, 'B', 'Z', 'h')) {
            return BZIP2;
        }
        if (starts(magic, 0xfd, '7', 'z', 'X', 'Z', 0x00)) {
            throw KpodException.invalid("xz-compressed layers are not supported; use gzip, zstd or plain tar");
        }
        return NONE;
    }

    private static boolean starts(byte[] data, int... magic) {
        if (data.length < magic.length) {
            return false;
        }
        for (int i = 0; i < magic.length; i++) {
            if ((data[i] & 0xff) != magic[i]) {
                return false;
            }
        }
        return true;
    }

    /** Wraps {@code raw} so that reading it yields the uncompressed tar, whatever the compression. */
    public static InputStream decompressed(InputStream raw) throws IOException {
        InputStream in = raw.markSupported() ? raw : new BufferedInputStream(raw, 65536);
        return switch (detect(in)) {
            case GZIP -> new GzipCompressorInputStream(in, true);
            case ZSTD -> new ZstdInputStream(in);
            case BZIP2 -> new BZip2CompressorInputStream(in, true);
            case NONE -> in;
        };
    }
}
