package io.kpod.engine.image;

import io.kpod.engine.ImageSource;
import java.nio.file.Path;
import java.util.List;

/** The engine's {@link ImageSource} backed by the local {@link ImageStore}. */
public final class LocalImageSource implements ImageSource {
    private final ImageStore store;

    public LocalImageSource(ImageStore store) {
        this.store = store;
    }

    @Override
    public ResolvedImage resolve(String reference) {
        ImageLookup.Match m = store.lookup(reference);
        ImageRecord img = m.image();
        ImageConfig c = store.config(img.id());
        String name = m.name() != null ? m.name() : img.names().isEmpty() ? img.id() : img.names().get(0);
        return new ResolvedImage(img.id(), name, store.layerDirs(img.id()),
                new ImageDefaults(c.env(), c.entrypoint(), c.cmd(), c.workingDir(), c.user(), c.volumes(),
                        c.stopSignal(), c.labels(), c.exposedPorts()));
    }

    @Override
    public boolean exists(String imageId) {
        return store.exists(imageId);
    }

    @Override
    public List<Path> layerDirs(String imageId) {
        return store.layerDirs(imageId);
    }
}
