package io.kpod.engine.image;

import io.kpod.spec.KpodException;
import java.util.regex.Pattern;

/**
 * An image name as containers/image understands it: {@code [registry/]repository[:tag][@digest]}.
 * A reference without a registry is a short name ({@link #isShortName()}); {@link #qualify}
 * turns it into a full one. The tag defaults to {@code latest} unless a digest is given.
 */
public record ImageReference(String registry, String repository, String tag, String digest) {
    public static final String DEFAULT_TAG = "latest";
    public static final String LOCAL_REGISTRY = "localhost";
    public static final String DOCKER_HUB = "docker.io";

    private static final Pattern COMPONENT = Pattern.compile("[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*");
    private static final Pattern DOMAIN = Pattern.compile(
            "(?:[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?(?:\\.[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?)*"
                    + "|\\[[0-9a-fA-F:]+\\])(?::[0-9]+)?");
    private static final Pattern TAG = Pattern.compile("[\\w][\\w.-]{0,127}");
    private static final Pattern DIGEST = Pattern.compile("sha256:[a-f0-9]{64}");
    private static final Pattern HEX64 = Pattern.compile("[a-f0-9]{64}");
    private static final int MAX_NAME = 255;

    public ImageReference {
        if (repository == null || repository.isEmpty()) {
            throw KpodException.invalid("an image reference needs a repository name");
        }
    }

    /** Parses and validates {@code text}; throws KpodException INVALID saying what is wrong. */
    public static ImageReference parse(String text) {
        if (text == null || text.isBlank()) {
            throw KpodException.invalid("invalid image reference \"\": the reference is empty");
        }
        String rest = text;
        String digest = null;
        int at = rest.indexOf('@');
        if (at >= 0) {
            digest = rest.substring(at + 1);
            rest = rest.substring(0, at);
            if (!DIGEST.matcher(digest).matches()) {
                throw bad(text, "the digest must be sha256: followed by 64 lowercase hex digits");
            }
        }
        String tag = null;
        int colon = rest.lastIndexOf(':');
        if (colon > rest.lastIndexOf('/')) {
            tag = rest.substring(colon + 1);
            rest = rest.substring(0, colon);
            if (!TAG.matcher(tag).matches()) {
                throw bad(text, "the tag \"" + tag + "\" is not valid (letters, digits, _ . -, at most 128)");
            }
        }
        String registry = null;
        int slash = rest.indexOf('/');
        if (slash > 0) {
            String first = rest.substring(0, slash);
            if (first.contains(".") || first.contains(":") || first.equals(LOCAL_REGISTRY)
                    || !first.equals(first.toLowerCase())) {
                registry = first;
                rest = rest.substring(slash + 1);
                if (!DOMAIN.matcher(registry).matches()) {
                    throw bad(text, "\"" + registry + "\" is not a valid registry host[:port]");
                }
            }
        }
        if (rest.isEmpty()) {
            throw bad(text, "the repository name is empty");
        }
        for (String component : rest.split("/", -1)) {
            if (!component.equals(component.toLowerCase())) {
                throw bad(text, "repository name must be lowercase");
            }
            if (!COMPONENT.matcher(component).matches()) {
                throw bad(text, "\"" + component + "\" is not a valid repository path component");
            }
        }
        if (registry == null && digest == null && tag == null && HEX64.matcher(rest).matches()) {
            throw bad(text, "a 64-character hexadecimal string is an image ID, not a name");
        }
        if ((registry == null ? 0 : registry.length() + 1) + rest.length() > MAX_NAME) {
            throw bad(text, "the name is longer than " + MAX_NAME + " characters");
        }
        if (DOCKER_HUB.equals(registry) || "index.docker.io".equals(registry)) {
            registry = DOCKER_HUB;
            if (!rest.contains("/")) {
                rest = "library/" + rest;
            }
        }
        if (tag == null && digest == null) {
            tag = DEFAULT_TAG;
        }
        return new ImageReference(registry, rest, tag, digest);
    }

    private static KpodException bad(String text, String why) {
        return KpodException.invalid("invalid image reference \"" + text + "\": " + why);
    }

    /** True for a 64-hex image id, with or without a {@code sha256:} prefix. */
    public static boolean isFullId(String text) {
        String hex = text.startsWith("sha256:") ? text.substring(7) : text;
        return HEX64.matcher(hex).matches();
    }

    /** Whether the name lacks a registry, so lookups must try candidates. */
    public boolean isShortName() {
        return registry == null;
    }

    /** The same reference with {@code defaultRegistry} when it has none (Docker Hub names get library/). */
    public ImageReference qualify(String defaultRegistry) {
        if (registry != null) {
            return this;
        }
        return parse(defaultRegistry + "/" + toString());
    }

    public ImageReference withTag(String newTag) {
        return new ImageReference(registry, repository, newTag, digest);
    }

    public ImageReference withoutDigest() {
        return new ImageReference(registry, repository, tag == null ? DEFAULT_TAG : tag, null);
    }

    /** {@code registry/repository}, or just the repository for a short name. */
    public String name() {
        return registry == null ? repository : registry + "/" + repository;
    }

    /**
     * Podman's rule for matching a short name against a stored full name: the stored
     * repository's last path components equal this short repository, and tag and digest agree.
     */
    public boolean matchesShortName(ImageReference stored) {
        String want = repository;
        String have = stored.repository;
        if (!have.equals(want) && !have.endsWith("/" + want)) {
            return false;
        }
        return tag == null || tag.equals(stored.tag);
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder(name());
        if (tag != null) {
            sb.append(':').append(tag);
        }
        if (digest != null) {
            sb.append('@').append(digest);
        }
        return sb.toString();
    }
}
