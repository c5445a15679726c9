package io.kpod.engine.image;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/** Run in a separate JVM by ImageStoreTest: many index updates racing with another process. */
public final class IndexHammer {
    private IndexHammer() {
    }

    /** Args: graphRoot baseImage prefix count tarball. */
    public static void main(String[] args) {
        ImageStore store = new ImageStore(Path.of(args[0]));
        int count = Integer.parseInt(args[3]);
        for (int i = 0; i < count; i++) {
            store.tag(args[1], args[2] + "-" + i);
            if (i == count / 2) {
                store.importRootfs(Path.of(args[4]), Optional.of(args[2] + "-imported"), List.of("USER " + args[2]));
            }
        }
    }
}
