package io.kpod.network;

import io.kpod.spec.KpodException;
import java.math.BigInteger;
import java.net.InetAddress;
import java.util.Objects;

/** An IPv4 or IPv6 prefix such as 10.90.0.0/24, with the address arithmetic IPAM needs. */
public final class Cidr {
    private final InetAddress network;
    private final int prefix;
    private final int length;

    private Cidr(InetAddress network, int prefix) {
        this.network = network;
        this.prefix = prefix;
        this.length = network.getAddress().length;
    }

    /** Parses "a.b.c.d/n" or "x::/n"; host bits must be zero, as Podman requires of a subnet. */
    public static Cidr parse(String text) {
        Cidr c = parseLenient(text);
        InetAddress given = IpAddresses.parse(text.trim().substring(0, text.trim().indexOf('/')));
        if (!given.equals(c.network)) {
            throw KpodException.invalid("subnet " + text + " is not a network address; did you mean " + c + "?");
        }
        return c;
    }

    /** Parses a prefix and clears its host bits. */
    public static Cidr parseLenient(String text) {
        if (text == null) {
            throw KpodException.invalid("missing subnet");
        }
        String s = text.trim();
        int slash = s.indexOf('/');
        if (slash < 0) {
            throw KpodException.invalid("invalid subnet \"" + text + "\": expected CIDR notation such as 10.90.5.0/24");
        }
        InetAddress addr = IpAddresses.parse(s.substring(0, slash));
        int max = addr.getAddress().length * 8;
        int p;
        try {
            p = Integer.parseInt(s.substring(slash + 1));
        } catch (NumberFormatException e) {
            throw KpodException.invalid("invalid subnet \"" + text + "\": bad prefix length");
        }
        if (p < 0 || p > max) {
            throw KpodException.invalid("invalid subnet \"" + text + "\": prefix length must be 0-" + max);
        }
        return of(addr, p);
    }

    /** The prefix of the given length that contains the address. */
    public static Cidr of(InetAddress addr, int prefix) {
        byte[] b = addr.getAddress();
        for (int i = 0; i < b.length; i++) {
            int bits = Math.max(0, Math.min(8, prefix - 8 * i));
            int mask = bits == 0 ? 0 : (0xff << (8 - bits)) & 0xff;
            b[i] = (byte) (b[i] & mask);
        }
        return new Cidr(IpAddresses.fromBytes(b), prefix);
    }

    public InetAddress network() {
        return network;
    }

    public int prefix() {
        return prefix;
    }

    public boolean isIpv4() {
        return length == 4;
    }

    /** The highest address of the prefix (the IPv4 broadcast address). */
    public InetAddress last() {
        BigInteger hostMask = BigInteger.ONE.shiftLeft(length * 8 - prefix).subtract(BigInteger.ONE);
        return IpAddresses.fromBigInteger(IpAddresses.toBigInteger(network).or(hostMask), length);
    }

    /** The first address a host may use: network + 1, except in IPv4 /31 and /32 where all count. */
    public InetAddress firstHost() {
        if (hostBits() <= 1) {
            return network;
        }
        return offset(network, 1);
    }

    /** The last address a host may use: broadcast - 1 in IPv4, the last address in IPv6. */
    public InetAddress lastHost() {
        if (isIpv4() && hostBits() > 1) {
            return offset(last(), -1);
        }
        return last();
    }

    public boolean contains(InetAddress a) {
        return a.getAddress().length == length && of(a, prefix).network.equals(network);
    }

    public boolean contains(Cidr other) {
        return other.length == length && other.prefix >= prefix && contains(other.network);
    }

    public boolean overlaps(Cidr other) {
        return contains(other) || other.contains(this);
    }

    int hostBits() {
        return length * 8 - prefix;
    }

    static InetAddress offset(InetAddress a, long delta) {
        int len = a.getAddress().length;
        BigInteger v = IpAddresses.toBigInteger(a).add(BigInteger.valueOf(delta));
        BigInteger limit = BigInteger.ONE.shiftLeft(len * 8);
        return IpAddresses.fromBigInteger(v.mod(limit), len);
    }

    static int compare(InetAddress a, InetAddress b) {
        return IpAddresses.toBigInteger(a).compareTo(IpAddresses.toBigInteger(b));
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Cidr c && c.prefix == prefix && c.network.equals(network);
    }

    @Override
    public int hashCode() {
        return Objects.hash(network, prefix);
    }

    @Override
    public String toString() {
        return IpAddresses.format(network) + "/" + prefix;
    }
}
