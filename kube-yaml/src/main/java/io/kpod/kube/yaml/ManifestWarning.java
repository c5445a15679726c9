package io.kpod.kube.yaml;

/**
 * Something in a manifest that kpod reads past, such as a field the Kubernetes schema does not
 * know; the caller decides whether to print it. {@link #toString()} gives the one-line form.
 */
public record ManifestWarning(String file, int documentIndex, int line, String fieldPath, String message) {

    @Override
    public String toString() {
        return InvalidManifestException.format(file, documentIndex, line, fieldPath, message);
    }
}
