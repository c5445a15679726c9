package io.kpod.spec;

/**
 * A secret given to a container with {@code --secret NAME[,type=mount|env,target=…]}.
 *
 * @param name the secret's name
 * @param type mount (a file, default under /run/secrets) or env (an environment variable)
 * @param target the file path (absolute or relative to /run/secrets) or the variable name
 * @param mode file mode for a mounted secret
 */
public record SecretMount(String name, Type type, String target, int mode, int uid, int gid) {
    /** How the secret reaches the container. */
    public enum Type { MOUNT, ENV }

    /** The absolute path inside the container for a mounted secret. */
    public String mountPath() {
        String t = target == null || target.isEmpty() ? name : target;
        return t.startsWith("/") ? t : "/run/secrets/" + t;
    }

    /** The variable name for an env secret. */
    public String envName() {
        return target == null || target.isEmpty() ? name : target;
    }
}
