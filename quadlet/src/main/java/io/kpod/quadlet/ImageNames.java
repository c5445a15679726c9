package io.kpod.quadlet;

/** Tells fully qualified image references (registry host, localhost, or a full id) from short names. */
final class ImageNames {
    private ImageNames() {
    }

    static boolean isUnambiguous(String image) {
        if (image.startsWith("sha256:") || image.matches("[0-9a-fA-F]{64}")) {
            return true;
        }
        int slash = image.indexOf('/');
        if (slash < 0) {
            return false;
        }
        String domain = image.substring(0, slash);
        return domain.contains(".") || domain.contains(":") || domain.equals("localhost");
    }
}
