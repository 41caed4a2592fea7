package dev.weft.xds.authz;

import com.google.protobuf.UInt32Value;
import io.envoyproxy.envoy.config.core.v3.CidrRange;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.regex.Pattern;

/** An IP or CIDR value ({@code 10.1.2.3}, {@code 10.1.0.0/16}, {@code ::1}) as an Envoy CidrRange, unmasked. */
final class CidrRanges {

    private static final Pattern IPV4 = Pattern.compile("(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)(\\.(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)){3}");
    private static final Pattern IPV6 = Pattern.compile("[0-9a-fA-F:]*:[0-9a-fA-F:.]*");

    private CidrRanges() {
    }

    static CidrRange of(String value) throws Inexpressible {
        int slash = value.indexOf('/');
        String ip = slash < 0 ? value : value.substring(0, slash);
        boolean v4 = IPV4.matcher(ip).matches();
        if (!v4 && !IPV6.matcher(ip).matches()) {
            throw new Inexpressible("invalid IP address " + value);
        }
        InetAddress address;
        try {
            // A literal address: no name lookup happens.
            address = InetAddress.getByName(ip);
        } catch (UnknownHostException e) {
            throw new Inexpressible("invalid IP address " + value);
        }
        int bits = v4 ? 32 : 128;
        int length = bits;
        if (slash >= 0) {
            String prefix = value.substring(slash + 1);
            if (!prefix.matches("\\d{1,3}") || Integer.parseInt(prefix) > bits) {
                throw new Inexpressible("invalid CIDR " + value);
            }
            length = Integer.parseInt(prefix);
        }
        String text = address instanceof Inet6Address ? compressed(address.getAddress()) : address.getHostAddress();
        return CidrRange.newBuilder().setAddressPrefix(text).setPrefixLen(UInt32Value.of(length)).build();
    }

    /** RFC 5952 text, as Go's netip prints it: lower case, the longest run of two or more zero groups as {@code ::}. */
    private static String compressed(byte[] bytes) {
        int[] groups = new int[8];
        for (int i = 0; i < 8; i++) {
            groups[i] = ((bytes[2 * i] & 0xff) << 8) | (bytes[2 * i + 1] & 0xff);
        }
        int bestStart = -1;
        int bestLength = 1;
        for (int i = 0; i < 8; ) {
            int j = i;
            while (j < 8 && groups[j] == 0) {
                j++;
            }
            if (j - i > bestLength) {
                bestStart = i;
                bestLength = j - i;
            }
            i = j == i ? i + 1 : j;
        }
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < 8; i++) {
            if (i == bestStart) {
                text.append("::");
                i += bestLength - 1;
                continue;
            }
            if (!text.isEmpty() && text.charAt(text.length() - 1) != ':') {
                text.append(':');
            }
            text.append(Integer.toHexString(groups[i]));
        }
        return text.toString();
    }
}
