package io.kpod.engine.runtime.attach;

import sun.misc.Signal;
import sun.misc.SignalHandler;

/**
 * SIGWINCH through the JDK's jdk.unsupported signal API, kept in one place because no
 * supported API exists. A JVM that refuses the signal simply gets no resize events.
 */
final class WinchSignal {
    private WinchSignal() {
    }

    /** Installs {@code action} for SIGWINCH; returns the previous handler, or null if refused. */
    static Object install(Runnable action) {
        try {
            return Signal.handle(new Signal("WINCH"), sig -> action.run());
        } catch (IllegalArgumentException | UnsupportedOperationException refused) {
            return null;
        }
    }

    static void restore(Object previous) {
        try {
            Signal.handle(new Signal("WINCH"), (SignalHandler) previous);
        } catch (IllegalArgumentException | UnsupportedOperationException refused) {
            // nothing was installed
        }
    }
}
