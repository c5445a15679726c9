package io.kpod.engine.image.registry;

import java.nio.charset.StandardCharsets;
import java.util.Base64;

/** A user name and password (or identity token) for one registry. */
public record Credentials(String username, String password) {
    /** The {@code auth} value of auth.json: base64 of {@code user:password}. */
    public String encoded() {
        return Base64.getEncoder().encodeToString((username + ":" + password).getBytes(StandardCharsets.UTF_8));
    }

    public String basicHeader() {
        return "Basic " + encoded();
    }

    /** Decodes an {@code auth} value; null when it is not {@code user:password}. */
    static Credentials decode(String auth) {
        try {
            String s = new String(Base64.getDecoder().decode(auth.strip()), StandardCharsets.UTF_8);
            int colon = s.indexOf(':');
            return colon <= 0 ? null : new Credentials(s.substring(0, colon), s.substring(colon + 1));
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    @Override
    public String toString() {
        return "Credentials[" + username + "]";
    }
}
