package io.kpod.network;

import io.kpod.spec.KpodException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;

/** Reads the host's routes and interfaces from procfs and sysfs. */
final class LinuxHostNetworkProbe implements HostNetworkProbe {
    private final Path proc;
    private final Path sysClassNet;

    LinuxHostNetworkProbe() {
        this(Path.of("/proc"), Path.of("/sys/class/net"));
    }

    LinuxHostNetworkProbe(Path proc, Path sysClassNet) {
        this.proc = proc;
        this.sysClassNet = sysClassNet;
    }

    @Override
    public List<Cidr> routes() {
        List<Cidr> out = new ArrayList<>();
        out.addAll(parseIpv4Routes(read(proc.resolve("net/route"))));
        out.addAll(parseIpv6Routes(read(proc.resolve("net/ipv6_route"))));
        return out;
    }

    @Override
    public Set<String> interfaceNames() {
        Set<String> names = new TreeSet<>();
        try (Stream<Path> s = Files.list(sysClassNet)) {
            s.forEach(p -> names.add(p.getFileName().toString()));
        } catch (NoSuchFileException e) {
            return names;
        } catch (IOException e) {
            throw KpodException.internal("cannot list " + sysClassNet, e);
        }
        return names;
    }

    private static List<String> read(Path p) {
        try {
            return Files.readAllLines(p);
        } catch (NoSuchFileException e) {
            return List.of();
        } catch (IOException e) {
            throw KpodException.internal("cannot read " + p, e);
        }
    }

    /** /proc/net/route holds destination and mask as little-endian hex words. */
    static List<Cidr> parseIpv4Routes(List<String> lines) {
        List<Cidr> out = new ArrayList<>();
        for (String line : lines.subList(Math.min(1, lines.size()), lines.size())) {
            String[] f = line.trim().split("\\s+");
            if (f.length < 8) {
                continue;
            }
            long dest = Long.parseLong(f[1], 16);
            long mask = Long.parseLong(f[7], 16);
            int prefix = Long.bitCount(mask);
            if (prefix == 0) {
                continue;
            }
            byte[] b = {(byte) dest, (byte) (dest >> 8), (byte) (dest >> 16), (byte) (dest >> 24)};
            out.add(Cidr.of(IpAddresses.fromBytes(b), prefix));
        }
        return out;
    }

    /** /proc/net/ipv6_route: 32 hex digits of destination, then the prefix length in hex. */
    static List<Cidr> parseIpv6Routes(List<String> lines) {
        List<Cidr> out = new ArrayList<>();
        for (String line : lines) {
            String[] f = line.trim().split("\\s+");
            if (f.length < 2 || f[0].length() != 32) {
                continue;
            }
            int prefix = Integer.parseInt(f[1], 16);
            if (prefix == 0) {
                continue;
            }
            byte[] b = new byte[16];
            for (int i = 0; i < 16; i++) {
                b[i] = (byte) Integer.parseInt(f[0].substring(2 * i, 2 * i + 2), 16);
            }
            out.add(Cidr.of(IpAddresses.fromBytes(b), prefix));
        }
        return out;
    }
}
