package io.kpod.engine;

import io.kpod.engine.runtime.ConmonLauncher;
import io.kpod.engine.runtime.OciRuntime;
import io.kpod.engine.runtime.ProcessRunner;
import io.kpod.engine.state.StateStore;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/**
 * The engine's shared collaborators for one kpod process: paths, the opened state database,
 * the OCI runtime, conmon, settings and the image source. The database opens lazily so that
 * commands which never touch state do not pay for it.
 */
public final class EngineContext implements AutoCloseable {
    private static final DateTimeFormatter RFC3339_NANO =
            DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.nnnnnnnnnXXX").withZone(ZoneOffset.UTC);

    private final EnginePaths paths;
    private final EngineSettings settings;
    private final ImageSource images;
    private final OciRuntime runtime;
    private final ConmonLauncher conmon;
    private StateStore store;

    public EngineContext(EnginePaths paths, EngineSettings settings, ImageSource images, ProcessRunner runner) {
        this.paths = paths;
        this.settings = settings;
        this.images = images;
        this.runtime = new OciRuntime(settings.ociRuntimePath(), paths.runcRoot(), runner);
        this.conmon = new ConmonLauncher(settings.conmonPath(), runtime);
    }

    public EnginePaths paths() {
        return paths;
    }

    public EngineSettings settings() {
        return settings;
    }

    public ImageSource images() {
        return images;
    }

    public OciRuntime runtime() {
        return runtime;
    }

    public ConmonLauncher conmon() {
        return conmon;
    }

    public synchronized StateStore store() {
        if (store == null) {
            store = new StateStore(paths.database());
        }
        return store;
    }

    public static String now() {
        return RFC3339_NANO.format(Instant.now());
    }

    @Override
    public synchronized void close() {
        if (store != null) {
            store.close();
        }
    }
}
