package io.kpod.engine.image;

import io.kpod.spec.KpodException;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Finds an image in the index the way Podman's local lookup does: full id, exact name, unique
 * id prefix (at least {@value #MIN_PREFIX} hex digits), {@code name@digest}, full name, and
 * for a short name {@code localhost/NAME} first, then any image whose repository ends with it.
 */
final class ImageLookup {
    static final int MIN_PREFIX = 3;
    private static final Pattern HEX = Pattern.compile("[a-f0-9]+");

    /** The image found, the name it was found by (null when by id) and whether the reference was an id or digest. */
    record Match(ImageRecord image, String name, boolean byId) {
    }

    private ImageLookup() {
    }

    static Optional<Match> find(List<ImageRecord> images, String ref) {
        if (ref == null || ref.isBlank()) {
            throw KpodException.invalid("an image reference must not be empty");
        }
        String hex = ref.startsWith("sha256:") ? ref.substring(7) : ref;
        boolean hexLike = HEX.matcher(hex).matches();
        if (hexLike && hex.length() == 64) {
            return images.stream().filter(i -> i.id().equals(hex)).findFirst().map(i -> new Match(i, null, true));
        }
        for (ImageRecord i : images) {
            if (i.names().contains(ref)) {
                return Optional.of(new Match(i, ref, false));
            }
        }
        if (hexLike && hex.length() >= MIN_PREFIX) {
            List<ImageRecord> hits = images.stream().filter(i -> i.id().startsWith(hex)).toList();
            if (hits.size() > 1) {
                throw KpodException.invalid("the short ID \"" + ref + "\" is ambiguous: it matches "
                        + hits.size() + " images; give more characters of the ID");
            }
            if (hits.size() == 1) {
                return Optional.of(new Match(hits.get(0), null, true));
            }
        }
        ImageReference r = ImageReference.parse(ref);
        if (r.digest() != null) {
            return byDigest(images, r);
        }
        if (!r.isShortName()) {
            return byName(images, r.toString());
        }
        Optional<Match> local = byName(images, r.qualify(ImageReference.LOCAL_REGISTRY).toString());
        if (local.isPresent()) {
            return local;
        }
        for (ImageRecord i : images) {
            for (String n : i.names()) {
                if (r.matchesShortName(ImageReference.parse(n))) {
                    return Optional.of(new Match(i, n, false));
                }
            }
        }
        return Optional.empty();
    }

    private static Optional<Match> byName(List<ImageRecord> images, String full) {
        return images.stream().filter(i -> i.names().contains(full)).findFirst().map(i -> new Match(i, full, false));
    }

    /** {@code repo@digest}: the manifest digest must agree and one of the image's names must be that repository. */
    private static Optional<Match> byDigest(List<ImageRecord> images, ImageReference r) {
        ImageReference repoOnly = new ImageReference(r.registry(), r.repository(), null, null);
        for (ImageRecord i : images) {
            if (!r.digest().equals(i.digest())) {
                continue;
            }
            for (String n : i.names()) {
                ImageReference stored = ImageReference.parse(n);
                boolean same = r.isShortName() ? repoOnly.matchesShortName(stored) : stored.name().equals(r.name());
                if (same) {
                    return Optional.of(new Match(i, null, true));
                }
            }
        }
        return Optional.empty();
    }
}
