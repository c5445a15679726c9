package io.kpod.network;

import io.kpod.spec.KpodException;
import java.util.Locale;
import java.util.regex.Pattern;

/** Validation of {@code --mac-address} values. */
public final class MacAddress {
    private static final Pattern MAC = Pattern.compile("([0-9a-fA-F]{2})([:-][0-9a-fA-F]{2}){5}");

    private MacAddress() {
    }

    /**
     * Returns the address as lowercase colon-separated hex. Rejects other lengths, multicast
     * addresses (the kernel refuses them on an interface) and all zeros.
     */
    public static String normalize(String text) {
        if (text == null || !MAC.matcher(text.trim()).matches()) {
            throw KpodException.invalid("invalid MAC address \"" + text + "\": expected six hex pairs like 92:d0:c6:0a:29:33");
        }
        String mac = text.trim().replace('-', ':').toLowerCase(Locale.ROOT);
        int first = Integer.parseInt(mac.substring(0, 2), 16);
        if ((first & 1) == 1) {
            throw KpodException.invalid("invalid MAC address " + mac + ": it is a multicast address (odd first octet)");
        }
        if (mac.equals("00:00:00:00:00:00")) {
            throw KpodException.invalid("invalid MAC address " + mac + ": all zeros");
        }
        return mac;
    }
}
