package io.kpod.engine.container;

import io.kpod.engine.EngineContext;
import io.kpod.engine.image.ConfigChanges;
import io.kpod.engine.image.ImageCommitter;
import io.kpod.engine.image.ImageConfig;
import io.kpod.engine.image.ImageRecord;
import io.kpod.engine.image.ImageStore;
import io.kpod.engine.state.ContainerRecord;
import io.kpod.engine.state.ContainerStatus;
import io.kpod.engine.state.ObjectLock;
import io.kpod.engine.state.StateStore.ContainerRow;
import io.kpod.spec.KpodException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * {@code podman commit}: a container's changes (its overlay upper dir) become a new image on
 * top of the container's image. The new image keeps the image's run defaults with the
 * container's own on top, as Podman does: its entrypoint and command, environment, user,
 * working directory, labels and published container ports; {@code --change} comes last.
 */
public final class ContainerCommitter {
    /** What {@code kpod commit} asks for; {@code name} empty makes a dangling image. */
    public record Request(String container, Optional<String> name, List<String> changes, String author,
                          String message, boolean pause) {
        public Request {
            changes = changes == null ? List.of() : List.copyOf(changes);
            name = name == null ? Optional.empty() : name;
        }
    }

    /** Variables the engine sets in every container; they describe that container, not the image. */
    private static final Set<String> RUNTIME_ENV = Set.of("container", "HOSTNAME");

    private final EngineContext ctx;
    private final ContainerService containers;
    private final ImageStore images;

    public ContainerCommitter(EngineContext ctx, ContainerService containers, ImageStore images) {
        this.ctx = ctx;
        this.containers = containers;
        this.images = images;
    }

    public ImageRecord commit(Request req) {
        ContainerRow row = containers.lookup(req.container());
        ContainerRecord rec = row.record();
        if (rec.infra()) {
            throw KpodException.invalid("cannot commit " + rec.name() + ": it is a pod's infra container");
        }
        if (RootfsDir.of(rec.spec()).isPresent()) {
            throw KpodException.invalid("container " + rec.name() + " runs from a --rootfs directory and has no image to commit onto");
        }
        ImageConfig config = ConfigChanges.apply(containerConfig(rec, images.config(rec.imageId())), req.changes());
        Path upper = ctx.paths().containerDir(rec.id()).resolve("upper");
        try {
            Files.createDirectories(upper);
        } catch (IOException e) {
            throw KpodException.internal("cannot create " + upper + ": " + e.getMessage(), e);
        }
        ImageCommitter.Info info = new ImageCommitter.Info(req.author(), req.message(),
                "kpod commit " + rec.name());
        try (ObjectLock lock = ObjectLock.acquire(ctx.paths().locksDir(), rec.id())) {
            boolean pause = req.pause() && containers.lookup(rec.id()).state().status() == ContainerStatus.RUNNING;
            if (pause) {
                ctx.runtime().pause(rec.id());
            }
            Path source = upper;
            try {
                if (rec.spec().userns() != null) {
                    // the upper dir holds host IDs: the image gets them as the container saw them
                    source = UserNamespaces.unshiftedCopy(upper, ctx.paths().containerDir(rec.id()).resolve("commit"),
                            rec.spec().userns());
                }
                return images.commit(rec.imageId(), source, config, info, req.name());
            } finally {
                if (source != upper) {
                    try {
                        io.kpod.engine.sys.FileTrees.delete(source);
                    } catch (IOException e) {
                        // removed with the container's dir
                    }
                }
                if (pause) {
                    ctx.runtime().resume(rec.id());
                }
            }
        }
    }

    /** The image's config with the container's settings on top. */
    static ImageConfig containerConfig(ContainerRecord rec, ImageConfig image) {
        List<String> entrypoint = rec.spec().process().entrypoint() != null ? rec.spec().process().entrypoint()
                : image.entrypoint();
        List<String> args = rec.args();
        List<String> cmd = args.size() >= entrypoint.size() && args.subList(0, entrypoint.size()).equals(entrypoint)
                ? args.subList(entrypoint.size(), args.size()) : args;
        Map<String, String> env = new LinkedHashMap<>();
        for (String e : image.env()) {
            int eq = e.indexOf('=');
            String k = eq < 0 ? e : e.substring(0, eq);
            if (rec.env().containsKey(k)) {
                env.put(k, rec.env().get(k));
            }
        }
        rec.env().keySet().stream().sorted().filter(k -> !env.containsKey(k) && !RUNTIME_ENV.contains(k))
                .forEach(k -> env.put(k, rec.env().get(k)));
        List<String> envList = new ArrayList<>();
        env.forEach((k, v) -> envList.add(k + "=" + v));
        Map<String, String> labels = new LinkedHashMap<>(image.labels());
        labels.putAll(rec.spec().labels());
        Set<String> ports = new LinkedHashSet<>(image.exposedPorts());
        for (String p : rec.spec().network().publish()) {
            String proto = p.contains("/") ? p.substring(p.indexOf('/') + 1) : "tcp";
            String spec = p.contains("/") ? p.substring(0, p.indexOf('/')) : p;
            String container = spec.substring(spec.lastIndexOf(':') + 1);
            if (container.matches("\\d+")) {
                ports.add(container + "/" + proto);
            }
        }
        String user = rec.user() == null || rec.user().isEmpty() ? image.user() : rec.user();
        return new ImageConfig(envList, cmd, entrypoint, rec.workingDir(), user, image.volumes(),
                new ArrayList<>(ports), labels, image.stopSignal());
    }
}
