package io.kpod.infra;

import java.util.Collections;
import java.util.EnumSet;
import java.util.Set;

/** Parses which namespaces a pod's containers share, with Podman's {@code --share} syntax. */
public final class SharedNamespaces {
    /** Podman's and Kubernetes' default: members share net, ipc and uts but each has its own pid ns. */
    public static final Set<Namespace> DEFAULT = Collections.unmodifiableSet(EnumSet.of(Namespace.NET, Namespace.IPC, Namespace.UTS));

    private SharedNamespaces() {
    }

    /**
     * Reads a {@code --share} value. A leading {@code +} adds the listed namespaces to the
     * default ({@code +pid} is net, ipc, uts and pid); otherwise the list replaces the
     * default. {@code none} or an empty value share nothing; null means the default.
     */
    public static Set<Namespace> parse(String share) {
        if (share == null) {
            return DEFAULT;
        }
        String value = share.trim();
        if (value.isEmpty() || value.equals("none")) {
            return Collections.unmodifiableSet(EnumSet.noneOf(Namespace.class));
        }
        EnumSet<Namespace> result = EnumSet.noneOf(Namespace.class);
        if (value.startsWith("+")) {
            result.addAll(DEFAULT);
        }
        for (String item : value.split(",")) {
            String name = item.trim();
            if (name.startsWith("+")) {
                name = name.substring(1);
            }
            if (!name.isEmpty()) {
                result.add(Namespace.parseShareable(name));
            }
        }
        return Collections.unmodifiableSet(result);
    }

    /** The set a Kubernetes pod shares: the default, plus pid when {@code shareProcessNamespace}. */
    public static Set<Namespace> kubernetes(boolean shareProcessNamespace) {
        if (!shareProcessNamespace) {
            return DEFAULT;
        }
        EnumSet<Namespace> result = EnumSet.copyOf(DEFAULT);
        result.add(Namespace.PID);
        return Collections.unmodifiableSet(result);
    }
}
