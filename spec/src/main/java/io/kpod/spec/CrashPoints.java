package io.kpod.spec;

import java.util.concurrent.atomic.AtomicLong;

/**
 * A hook for crash-safety tests, inert unless {@code KPOD_CRASH_AT} is set. kpod counts its
 * steps: every committed state transaction; every run of runc and netavark twice, right after
 * the start, while the program runs, and once it finished, before kpod acted on its result;
 * and conmon once it detached, before kpod read its report. With {@code KPOD_CRASH_AT=N} the
 * process ends at the N-th step as a SIGKILL would end it (no shutdown hooks, no cleanup,
 * children left running; exit code 137); with {@code KPOD_CRASH_AT=count} it prints
 * {@code kpod-steps: N} to stderr when it exits, so a test can spread its kills over a run.
 */
public final class CrashPoints {
    private static final String SETTING = System.getenv("KPOD_CRASH_AT");
    private static final long AT = parse(SETTING);
    private static final AtomicLong STEPS = new AtomicLong();

    static {
        if ("count".equals(SETTING)) {
            Runtime.getRuntime().addShutdownHook(new Thread(() -> System.err.println("kpod-steps: " + STEPS.get())));
        }
    }

    private CrashPoints() {
    }

    private static long parse(String s) {
        try {
            return s == null ? 0 : Long.parseLong(s.trim());
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    /** One step done. */
    public static void reached() {
        if (SETTING != null && STEPS.incrementAndGet() == AT) {
            Runtime.getRuntime().halt(137);
        }
    }
}
