package io.kpod.engine.image;

import io.kpod.spec.KpodException;
import java.util.Locale;

/**
 * When an image is fetched from its registry: Podman's {@code --pull} values and Kubernetes'
 * {@code imagePullPolicy}, which map onto the same four cases.
 */
public enum PullPolicy {
    /** Pull every time, even when the image is present. */
    ALWAYS,
    /** Pull only when no local image has the name ({@code missing}, Kubernetes' IfNotPresent). */
    MISSING,
    /** Never pull; a missing image is an error. */
    NEVER,
    /** Pull when the registry has a different digest than the local image. */
    NEWER;

    /** Podman's {@code --pull} value: always, missing, never, newer (true = always, false = missing). */
    public static PullPolicy parse(String value) {
        return switch (value.toLowerCase(Locale.ROOT)) {
            case "always", "true" -> ALWAYS;
            case "missing", "ifmissing", "ifnotpresent", "false" -> MISSING;
            case "never" -> NEVER;
            case "newer", "ifnewer" -> NEWER;
            default -> throw KpodException.invalid("invalid pull policy \"" + value
                    + "\": expected always, missing, never or newer");
        };
    }

    /**
     * Kubernetes' rule: an explicit {@code imagePullPolicy} wins; without one, an image tagged
     * {@code :latest} or untagged (and not by digest) is pulled always, anything else if not
     * present. Images under {@code localhost/} are never pulled implicitly, as Podman does.
     */
    public static PullPolicy forKubernetes(String imagePullPolicy, String reference) {
        if (imagePullPolicy != null && !imagePullPolicy.isBlank()) {
            return switch (imagePullPolicy) {
                case "Always" -> ALWAYS;
                case "IfNotPresent" -> MISSING;
                case "Never" -> NEVER;
                default -> throw KpodException.invalid("invalid imagePullPolicy \"" + imagePullPolicy
                        + "\": expected Always, IfNotPresent or Never");
            };
        }
        if (reference.startsWith("localhost/") || reference.contains("@")) {
            return MISSING;
        }
        int slash = reference.lastIndexOf('/');
        int colon = reference.lastIndexOf(':');
        boolean tagged = colon > slash;
        return !tagged || reference.endsWith(":latest") ? ALWAYS : MISSING;
    }
}
