package io.kpod.network;

import io.kpod.spec.KpodException;
import java.math.BigInteger;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.regex.Pattern;

/** IP literal parsing and Go-compatible formatting; never touches DNS. */
public final class IpAddresses {
    private static final Pattern V4 = Pattern.compile("(\\d{1,3})\\.(\\d{1,3})\\.(\\d{1,3})\\.(\\d{1,3})");
    private static final Pattern V6_CHARS = Pattern.compile("[0-9a-fA-F:.]+");

    private IpAddresses() {
    }

    /** Parses an IPv4 or IPv6 literal; throws an INVALID KpodException for anything else. */
    public static InetAddress parse(String text) {
        if (text == null || text.isBlank()) {
            throw KpodException.invalid("missing IP address");
        }
        String s = text.trim();
        var m = V4.matcher(s);
        if (m.matches()) {
            byte[] b = new byte[4];
            for (int i = 0; i < 4; i++) {
                int v = Integer.parseInt(m.group(i + 1));
                if (v > 255) {
                    throw KpodException.invalid("invalid IP address \"" + text + "\"");
                }
                b[i] = (byte) v;
            }
            return fromBytes(b);
        }
        if (s.contains(":") && V6_CHARS.matcher(s).matches()) {
            try {
                // The brackets make the JDK treat the text as a literal only, so no DNS lookup happens.
                InetAddress a = InetAddress.getByName("[" + s + "]");
                return a;
            } catch (UnknownHostException e) {
                throw KpodException.invalid("invalid IP address \"" + text + "\"");
            }
        }
        throw KpodException.invalid("invalid IP address \"" + text + "\"");
    }

    /** True when the text is an IPv4 or IPv6 literal. */
    public static boolean isLiteral(String text) {
        try {
            parse(text);
            return true;
        } catch (KpodException e) {
            return false;
        }
    }

    /** Formats like Go's net.IP.String(): dotted quad, or RFC 5952 compressed IPv6. */
    public static String format(InetAddress a) {
        byte[] b = a.getAddress();
        if (b.length == 4) {
            return (b[0] & 0xff) + "." + (b[1] & 0xff) + "." + (b[2] & 0xff) + "." + (b[3] & 0xff);
        }
        int[] g = new int[8];
        for (int i = 0; i < 8; i++) {
            g[i] = ((b[2 * i] & 0xff) << 8) | (b[2 * i + 1] & 0xff);
        }
        int bestStart = -1;
        int bestLen = 0;
        for (int i = 0; i < 8;) {
            if (g[i] != 0) {
                i++;
                continue;
            }
            int j = i;
            while (j < 8 && g[j] == 0) {
                j++;
            }
            if (j - i > bestLen) {
                bestStart = i;
                bestLen = j - i;
            }
            i = j;
        }
        if (bestLen < 2) {
            bestStart = -1;
        }
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < 8; i++) {
            if (i == bestStart) {
                sb.append("::");
                i += bestLen - 1;
                continue;
            }
            if (sb.length() > 0 && sb.charAt(sb.length() - 1) != ':') {
                sb.append(':');
            }
            sb.append(Integer.toHexString(g[i]));
        }
        return sb.toString();
    }

    /** Canonical text of a literal, e.g. "fd00:0::1" becomes "fd00::1". */
    public static String canonical(String text) {
        return format(parse(text));
    }

    static InetAddress fromBytes(byte[] b) {
        try {
            return InetAddress.getByAddress(b);
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("bad address length " + b.length, e);
        }
    }

    static BigInteger toBigInteger(InetAddress a) {
        return new BigInteger(1, a.getAddress());
    }

    static InetAddress fromBigInteger(BigInteger v, int length) {
        byte[] raw = v.toByteArray();
        byte[] b = new byte[length];
        int copy = Math.min(raw.length, length);
        System.arraycopy(raw, raw.length - copy, b, length - copy, copy);
        return fromBytes(b);
    }
}
