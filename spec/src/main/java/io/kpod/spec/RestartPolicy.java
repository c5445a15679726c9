package io.kpod.spec;

/**
 * Podman's {@code --restart} policy: no, on-failure[:N], always, unless-stopped.
 *
 * @param maxRetries for on-failure, the number of restarts allowed (0 = unlimited)
 */
public record RestartPolicy(Mode mode, int maxRetries) {
    /** The policy names as Podman spells them. */
    public enum Mode {
        NO("no"), ON_FAILURE("on-failure"), ALWAYS("always"), UNLESS_STOPPED("unless-stopped");

        private final String text;

        Mode(String text) {
            this.text = text;
        }

        public String text() {
            return text;
        }
    }

    public static final RestartPolicy NO = new RestartPolicy(Mode.NO, 0);

    /** Parses {@code no}, {@code on-failure}, {@code on-failure:3}, {@code always}, {@code unless-stopped}. */
    public static RestartPolicy parse(String value) {
        if (value == null || value.isEmpty() || value.equals("no")) {
            return NO;
        }
        String name = value;
        int retries = 0;
        int colon = value.indexOf(':');
        if (colon >= 0) {
            name = value.substring(0, colon);
            String n = value.substring(colon + 1);
            try {
                retries = Integer.parseInt(n);
            } catch (NumberFormatException e) {
                throw KpodException.invalid("invalid restart policy \"" + value + "\": \"" + n + "\" is not a number");
            }
            if (retries < 0) {
                throw KpodException.invalid("invalid restart policy \"" + value + "\": the retry count must not be negative");
            }
            if (!name.equals("on-failure")) {
                throw KpodException.invalid("invalid restart policy \"" + value + "\": only on-failure takes a retry count");
            }
        }
        for (Mode m : Mode.values()) {
            if (m.text.equals(name)) {
                return new RestartPolicy(m, retries);
            }
        }
        throw KpodException.invalid("invalid restart policy \"" + value
                + "\": must be one of no, on-failure[:max-retries], always, unless-stopped");
    }

    /**
     * Whether a container that exited with {@code exitCode} after {@code restarts} restarts
     * gets another run. A container stopped by the user never restarts.
     */
    public boolean shouldRestart(int exitCode, int restarts, boolean stoppedByUser) {
        if (stoppedByUser) {
            return false;
        }
        return switch (mode) {
            case NO -> false;
            case ALWAYS, UNLESS_STOPPED -> true;
            case ON_FAILURE -> exitCode != 0 && (maxRetries == 0 || restarts < maxRetries);
        };
    }

    @Override
    public String toString() {
        return mode == Mode.ON_FAILURE && maxRetries > 0 ? mode.text + ":" + maxRetries : mode.text;
    }
}
