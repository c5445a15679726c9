package io.kpod.engine.image.registry;

import io.kpod.engine.Http;
import io.kpod.engine.image.ImagePuller;
import io.kpod.engine.image.ImageRecord;
import io.kpod.engine.image.ImageReference;
import io.kpod.engine.image.ImageStore;
import io.kpod.engine.image.PullPolicy;
import io.kpod.spec.ErrorKind;
import io.kpod.spec.KpodException;
import io.kpod.spec.NoSuchObjectException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

/**
 * kpod's registry side: {@link ImagePuller} (pull and the pull policies), push, login and
 * logout. Names are resolved through registries.conf (short names, aliases, prefixes,
 * mirrors, blocked and insecure registries); credentials come from auth.json.
 */
public final class RegistryService implements ImagePuller {
    /** Parallel blob transfers per image, as containers/image does by default. */
    static final int PARALLEL = 6;

    private final ImageStore store;
    private final Supplier<RegistriesConf> confSupplier;
    private final AuthFile auth;
    private RegistriesConf conf;

    public RegistryService(ImageStore store, Supplier<RegistriesConf> conf, AuthFile auth) {
        this.store = store;
        this.confSupplier = conf;
        this.auth = auth;
    }

    /** The service for this process: registries.conf and auth.json from the environment. */
    public static RegistryService system(ImageStore store) {
        return new RegistryService(store, RegistriesConf::loadOnce, AuthFile.system());
    }

    public synchronized RegistriesConf conf() {
        if (conf == null) {
            conf = confSupplier.get();
        }
        return conf;
    }

    public AuthFile auth() {
        return auth;
    }

    private static String stripTransport(String reference) {
        return reference.startsWith("docker://") ? reference.substring("docker://".length()) : reference;
    }

    @Override
    public ImageRecord pull(String reference, Options options) {
        ImageReference ref = ImageReference.parse(stripTransport(reference));
        List<ImageReference> candidates = ShortNames.candidates(ref, conf());
        Progress progress = new Progress(options.progress());
        List<String> errors = new ArrayList<>();
        KpodException last = null;
        for (ImageReference c : candidates) {
            try {
                return options.retry().run(() -> pullQualified(c, options, progress),
                        options.progress() != null ? options.progress() : System.err);
            } catch (KpodException e) {
                last = e;
                errors.add(e.getMessage());
            }
        }
        if (candidates.size() == 1) {
            throw last;
        }
        throw new KpodException(last.kind(), "pulling " + reference + ": none of the search registries had it: "
                + String.join("; ", errors));
    }

    private ImageRecord pullQualified(ImageReference ref, Options options, Progress progress) {
        List<RegistriesConf.Endpoint> endpoints = conf().pullEndpoints(ref.name());
        Platform platform = Platform.choose(Optional.empty(), options.os(), options.arch(), options.variant());
        String wanted = ref.digest() != null ? ref.digest() : ref.tag();
        KpodException last = null;
        for (RegistriesConf.Endpoint ep : endpoints) {
            progress.line("Trying to pull " + ep + (ref.digest() != null ? "@" : ":") + wanted + "...");
            try {
                String manifestDigest = fetch(ep, wanted, platform, options, progress);
                String name = ref.digest() != null ? ref.name() + "@" + ref.digest() : ref.name() + ":" + ref.tag();
                return store.addImage(manifestDigest, List.of(name));
            } catch (KpodException e) {
                // say which image when the registry's message does not (unreachable host, refused token)
                last = e.getMessage().contains(ep.repository()) ? e
                        : new KpodException(e.kind(), "pulling " + ref + ": " + e.getMessage(), e);
            }
        }
        throw last;
    }

    /** Fetches into the blob store; on any failure the blobs this attempt added are discarded. */
    private String fetch(RegistriesConf.Endpoint ep, String wanted, Platform platform, Options options, Progress progress) {
        ExecutorService pool = newPool("kpod-pull");
        try (RegistryClient client = client(ep, options)) {
            ImageFetcher f = new ImageFetcher(client, ep.repository(), store, pool, progress);
            try {
                ImageFetcher.Manifest m = f.manifest(wanted);
                if (MediaTypes.isIndex(m.mediaType())) {
                    m = f.select(m, platform, wanted);
                }
                progress.line("Getting image source signatures");
                f.fetchBlobs(m);
                return m.digest();
            } catch (RuntimeException e) {
                store.discard(f.added(), f.unpacked());
                throw e;
            }
        } finally {
            pool.shutdownNow();
        }
    }

    private RegistryClient client(RegistriesConf.Endpoint ep, Options options) {
        boolean insecure = options.tlsVerify().map(v -> !v).orElse(ep.insecure());
        return new RegistryClient(ep.host(), insecure, auth.lookup(ep.host(), ep.repository(), options.authFile()));
    }

    /** Platform threads for blocking transfers, bounded, never the common pool. */
    static ExecutorService newPool(String name) {
        AtomicInteger n = new AtomicInteger();
        return Executors.newFixedThreadPool(PARALLEL, r -> {
            Thread t = new Thread(r, name + "-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
    }

    @Override
    public ImageRecord ensure(String reference, PullPolicy policy, Options options) {
        Optional<ImageRecord> local = local(reference);
        if (stripTransport(reference).startsWith("localhost/")) {
            // images named localhost/… are made here (import, commit, load, tag) and never pulled
            return local.orElseThrow(() -> new NoSuchObjectException("image", reference, reference
                    + ": image not known (images named localhost/ are local and never pulled)"));
        }
        switch (policy) {
            case NEVER:
                return local.orElseThrow(() -> new NoSuchObjectException("image", reference, reference + ": image not known"));
            case MISSING:
                return local.orElseGet(() -> pull(reference, options));
            case NEWER:
                if (local.isPresent() && !newerAvailable(reference, local.get(), options)) {
                    return local.get();
                }
                return pull(reference, options);
            default:
                return pull(reference, options);
        }
    }

    private Optional<ImageRecord> local(String reference) {
        try {
            return Optional.of(store.resolve(stripTransport(reference)));
        } catch (NoSuchObjectException e) {
            return Optional.empty();
        }
    }

    /** Whether the registry's manifest differs from the local image's; false when the registry cannot tell us. */
    private boolean newerAvailable(String reference, ImageRecord local, Options options) {
        try {
            ImageReference ref = ImageReference.parse(stripTransport(reference));
            if (ref.digest() != null) {
                return false;
            }
            List<ImageReference> candidates = ShortNames.candidates(ref, conf());
            ImageReference c = candidates.get(0);
            RegistriesConf.Endpoint ep = conf().pullEndpoints(c.name()).get(conf().pullEndpoints(c.name()).size() - 1);
            try (RegistryClient client = client(ep, options)) {
                try (Http.Response r = client.send("HEAD", client.uri("/v2/" + ep.repository() + "/manifests/" + c.tag()),
                        Map.of("Accept", MediaTypes.ACCEPT), Http.Body.NONE, "repository:" + ep.repository() + ":pull")) {
                    Optional<String> digest = r.header("Docker-Content-Digest");
                    return r.status() == 200 && digest.isPresent() && !digest.get().equals(local.digest());
                }
            }
        } catch (KpodException e) {
            return false;
        }
    }

    /**
     * {@code kpod push}: uploads the local image {@code source} to {@code destination} (its own
     * name when empty); returns the manifest digest.
     */
    public String push(String source, Optional<String> destination, Options options) {
        ImageRecord img = store.resolve(source);
        String destText = destination.map(RegistryService::stripTransport).orElse(null);
        if (destText == null) {
            String hex = source.startsWith("sha256:") ? source.substring(7) : source;
            boolean byId = hex.matches("[0-9a-f]{3,64}") && img.id().startsWith(hex);
            destText = byId || img.names().isEmpty() ? null : resolvedName(img, source);
            if (destText == null) {
                throw KpodException.invalid("pushing " + source + ": give a destination (kpod push IMAGE REGISTRY/REPOSITORY[:TAG])");
            }
        }
        int colon = destText.indexOf(':');
        if (colon > 0 && java.util.Set.of("oci", "oci-archive", "docker-archive", "dir", "containers-storage",
                "docker-daemon").contains(destText.substring(0, colon))) {
            throw KpodException.invalid("pushing to the " + destText.substring(0, colon)
                    + ": transport is not supported; push to a registry (docker://HOST/REPOSITORY[:TAG])");
        }
        ImageReference dest = ImageReference.parse(destText);
        if (dest.isShortName()) {
            throw KpodException.invalid("pushing to \"" + destText + "\": the destination needs a registry host");
        }
        RegistriesConf.Endpoint ep = conf().pushEndpoint(dest.name());
        Progress progress = new Progress(options.progress());
        progress.line("Getting image source signatures");
        return options.retry().run(() -> pushOnce(ep, img, dest, options, progress),
                options.progress() != null ? options.progress() : System.err);
    }

    private String pushOnce(RegistriesConf.Endpoint ep, ImageRecord img, ImageReference dest, Options options,
                            Progress progress) {
        ExecutorService pool = newPool("kpod-push");
        try (RegistryClient client = client(ep, options)) {
            return new ImagePusher(client, ep.repository(), store.blobs(), pool, progress)
                    .push(img.digest(), dest.digest() != null ? dest.digest() : dest.tag());
        } finally {
            pool.shutdownNow();
        }
    }

    private static String resolvedName(ImageRecord img, String source) {
        if (img.names().contains(source)) {
            return source;
        }
        ImageReference r = ImageReference.parse(source);
        for (String n : img.names()) {
            if (r.isShortName() ? r.matchesShortName(ImageReference.parse(n)) : n.equals(r.toString())) {
                return n;
            }
        }
        return img.names().get(0);
    }

    /**
     * {@code kpod login}: checks the credentials against the registry ({@code host[:port]} or
     * {@code host/namespace}) and stores them; the key written is what was given.
     */
    public Path login(String registry, Credentials credentials, Optional<Path> authFile, Optional<Boolean> tlsVerify) {
        String key = registryKey(registry);
        String host = RegistriesConf.hostOf(key);
        boolean insecure = tlsVerify.map(v -> !v).orElse(conf().insecure(host));
        try (RegistryClient client = new RegistryClient(host, insecure, Optional.of(credentials))) {
            try (Http.Response r = client.send("GET", client.uri("/v2/"), Map.of(), Http.Body.NONE, null)) {
                if (r.status() == 401) {
                    throw new KpodException(ErrorKind.INVALID, "logging into \"" + key + "\": invalid username/password");
                }
                if (r.status() != 200) {
                    throw client.failure(r, "logging into \"" + key + "\"");
                }
            }
        } catch (KpodException e) {
            if (e.getMessage().endsWith("invalid username/password") && !e.getMessage().startsWith("logging")) {
                throw new KpodException(ErrorKind.INVALID, "logging into \"" + key + "\": invalid username/password");
            }
            throw e;
        }
        Path file = authFile.orElseGet(auth::defaultPath);
        auth.store(file, key, credentials);
        return file;
    }

    /** {@code kpod logout}: removes the stored credentials of {@code registry}, or all with {@code registry} null. */
    public void logout(String registry, Optional<Path> authFile) {
        Path file = authFile.orElseGet(auth::defaultPath);
        if (registry == null) {
            auth.removeAll(file);
            return;
        }
        String key = registryKey(registry);
        if (!auth.remove(file, key)) {
            throw KpodException.notFound("not logged into " + key);
        }
    }

    /** {@code https://host:5000/ns/} → {@code host:5000/ns}; Docker Hub's aliases → docker.io. */
    static String registryKey(String registry) {
        String k = registry.strip();
        for (String p : List.of("docker://", "https://", "http://")) {
            if (k.startsWith(p)) {
                k = k.substring(p.length());
            }
        }
        while (k.endsWith("/")) {
            k = k.substring(0, k.length() - 1);
        }
        if (k.isEmpty()) {
            throw KpodException.invalid("a registry to log into is required");
        }
        String host = RegistriesConf.hostOf(k);
        if (host.equals("index.docker.io") || host.equals("registry-1.docker.io")) {
            k = "docker.io" + k.substring(host.length());
        }
        return k;
    }
}
