package io.kpod.kube.play;

import io.kpod.engine.ImageSource;
import io.kpod.kube.yaml.ParsedDocument;
import java.util.List;
import java.util.Optional;

/**
 * {@code runAsNonRoot: true} without a {@code runAsUser}: as the kubelet does, the container may
 * run only when its image's USER is a numeric uid other than 0. The image decides, so the check
 * runs once every image is present and before anything is created: a refused play leaves
 * nothing behind.
 */
final class NonRootPolicy {
    /** Where a container asked for runAsNonRoot and left the user to its image. */
    record Requirement(ParsedDocument doc, String field) {
    }

    private NonRootPolicy() {
    }

    /** Throws the manifest error for the first container whose image would run it as root. */
    static void check(List<DesiredPod> desired, ImageSource images) {
        for (DesiredPod d : desired) {
            for (DesiredContainer c : d.containers()) {
                Requirement r = c.nonRoot();
                if (r == null) {
                    continue;
                }
                String image = c.spec().image();
                Optional<String> why = violation(images.resolve(image).defaults().user());
                if (why.isPresent()) {
                    throw Manifest.error(r.doc(), r.field(), "image " + image + " " + why.get()
                            + "; set runAsUser to a uid other than 0, or use an image whose USER is one");
                }
            }
        }
    }

    /** Why an image with this USER ({@code uid}, {@code uid:gid}, a name, or empty) breaks runAsNonRoot, if it does. */
    static Optional<String> violation(String imageUser) {
        String user = imageUser == null ? "" : imageUser.strip();
        String uid = user.contains(":") ? user.substring(0, user.indexOf(':')) : user;
        if (uid.isEmpty()) {
            return Optional.of("runs as root (it sets no USER)");
        }
        if (!uid.chars().allMatch(ch -> ch >= '0' && ch <= '9')) {
            // the kubelet refuses a name too: only the image's /etc/passwd could say it is not uid 0
            return Optional.of("sets USER " + user + ", a name, so it cannot be verified not to be root");
        }
        if (uid.chars().allMatch(ch -> ch == '0')) {
            return Optional.of("runs as root (USER " + user + ")");
        }
        return Optional.empty();
    }
}
