package io.kpod.network;

import io.kpod.spec.KpodException;
import io.kpod.spec.NameInUseException;
import io.kpod.spec.NoSuchObjectException;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;

/**
 * The networks of one kpod installation: one {@code <name>.json} per network in a config dir,
 * in Podman's format. Changes happen under a file lock in that dir, so concurrent kpod
 * processes never create two networks with one name, subnet or bridge.
 */
public final class NetworkStore {
    /** Where kpod keeps network definitions unless {@code --network-config-dir} says otherwise. */
    public static final Path DEFAULT_CONFIG_DIR = Path.of("/etc/kpod/networks");
    /** The network containers join when they name none. */
    public static final String DEFAULT_NETWORK = "kpod";
    private static final String LOCK_FILE = ".kpod-networks.lock";
    private static final System.Logger LOG = System.getLogger(NetworkStore.class.getName());
    private static final SecureRandom RANDOM = new SecureRandom();

    private final Path configDir;
    private final NetworkFactory factory;

    public NetworkStore(Path configDir) {
        this(configDir, HostNetworkProbe.linux());
    }

    public NetworkStore(Path configDir, HostNetworkProbe probe) {
        this(configDir, probe, Clock.systemDefaultZone());
    }

    NetworkStore(Path configDir, HostNetworkProbe probe, Clock clock) {
        this.configDir = configDir;
        this.factory = new NetworkFactory(probe, NetworkStore::randomId, clock);
    }

    public Path configDir() {
        return configDir;
    }

    /** The file that holds a network's definition. */
    public Path fileOf(String networkName) {
        return configDir.resolve(networkName + ".json");
    }

    /** Creates a network; with {@code ignoreIfExists} an existing one of that name is returned. */
    public Network create(NetworkCreateRequest request) {
        return locked(() -> {
            List<Network> existing = list();
            for (Network n : existing) {
                if (n.name().equals(request.name())) {
                    if (request.ignoreIfExists()) {
                        return n;
                    }
                    throw new NameInUseException("network", request.name(), n.id());
                }
            }
            Network created = factory.build(request, existing);
            write(created);
            return created;
        });
    }

    /** The default network {@value #DEFAULT_NETWORK}, created on first use. */
    public Network defaultNetwork() {
        Optional<Network> present = read(fileOf(DEFAULT_NETWORK));
        if (present.isPresent()) {
            return present.get();
        }
        return locked(() -> {
            List<Network> existing = list();
            for (Network n : existing) {
                if (n.name().equals(DEFAULT_NETWORK)) {
                    return n;
                }
            }
            Network created = factory.buildDefault(DEFAULT_NETWORK, existing);
            write(created);
            return created;
        });
    }

    /** All networks on disk, by name. Does not create the default network; call it first for Podman's ls. */
    public List<Network> list() {
        List<Network> out = new ArrayList<>();
        try (Stream<Path> files = Files.list(configDir)) {
            for (Path p : files.filter(f -> f.getFileName().toString().endsWith(".json")).sorted().toList()) {
                read(p).ifPresent(out::add);
            }
        } catch (NoSuchFileException e) {
            return List.of();
        } catch (IOException e) {
            throw KpodException.internal("cannot list networks in " + configDir, e);
        }
        out.sort(Comparator.comparing(Network::name));
        return out;
    }

    /** A network by exact name, else by full or unique partial id. */
    public Optional<Network> find(String nameOrId) {
        List<Network> all = list();
        for (Network n : all) {
            if (n.name().equals(nameOrId)) {
                return Optional.of(n);
            }
        }
        if (nameOrId == null || nameOrId.isEmpty()) {
            return Optional.empty();
        }
        List<Network> byId = all.stream().filter(n -> n.id().startsWith(nameOrId)).toList();
        if (byId.size() > 1) {
            throw KpodException.invalid("more than one network matches ID " + nameOrId + "; give more characters");
        }
        return byId.stream().findFirst();
    }

    /** Like {@link #find} but a missing network is a {@link NoSuchObjectException}. */
    public Network inspect(String nameOrId) {
        if (DEFAULT_NETWORK.equals(nameOrId)) {
            return defaultNetwork();
        }
        return find(nameOrId).orElseThrow(() -> new NoSuchObjectException("network", nameOrId,
                "unable to find network with name or ID " + nameOrId + ": network not found"));
    }

    /**
     * Deletes a network's definition and returns it. The caller must first make sure no
     * container uses it and afterwards drop its IPAM state ({@link Ipam#forget}).
     */
    public Network remove(String nameOrId) {
        return locked(() -> {
            Network n = inspectWithoutCreating(nameOrId);
            if (n.name().equals(DEFAULT_NETWORK)) {
                throw KpodException.conflict("default network " + DEFAULT_NETWORK + " cannot be removed");
            }
            try {
                Files.deleteIfExists(fileOf(n.name()));
            } catch (IOException e) {
                throw KpodException.internal("cannot remove " + fileOf(n.name()), e);
            }
            return n;
        });
    }

    /** Networks {@code network prune} would remove: all but the default and those in use. */
    public List<Network> pruneCandidates(Collection<String> networksInUse) {
        Set<String> inUse = Set.copyOf(networksInUse);
        return list().stream()
                .filter(n -> !n.name().equals(DEFAULT_NETWORK))
                .filter(n -> !inUse.contains(n.name()) && !inUse.contains(n.id()))
                .toList();
    }

    private Network inspectWithoutCreating(String nameOrId) {
        return find(nameOrId).orElseThrow(() -> new NoSuchObjectException("network", nameOrId,
                "unable to find network with name or ID " + nameOrId + ": network not found"));
    }

    private <T> T locked(java.util.function.Supplier<T> body) {
        return FileLocks.locked(configDir.resolve(LOCK_FILE), body);
    }

    private void write(Network n) {
        FileLocks.writeAtomically(fileOf(n.name()),
                NetworkJson.toPodmanFile(n).getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }

    private static Optional<Network> read(Path p) {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(p);
        } catch (NoSuchFileException e) {
            return Optional.empty();
        } catch (IOException e) {
            throw KpodException.internal("cannot read " + p, e);
        }
        try {
            Network n = NetworkJson.readNetwork(bytes);
            String stem = p.getFileName().toString().replaceFirst("\\.json$", "");
            if (n.name() == null || !n.name().equals(stem) || n.id() == null) {
                LOG.log(Level.WARNING, "ignoring network file {0}: its name does not match the file name", p);
                return Optional.empty();
            }
            return Optional.of(n);
        } catch (KpodException e) {
            LOG.log(Level.WARNING, "ignoring unreadable network file {0}: {1}", p, e.getMessage());
            return Optional.empty();
        }
    }

    static String randomId() {
        byte[] b = new byte[32];
        RANDOM.nextBytes(b);
        return HexFormat.of().formatHex(b);
    }
}
