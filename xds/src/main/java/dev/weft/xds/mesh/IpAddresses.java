package dev.weft.xds.mesh;

import java.util.regex.Pattern;

/** Literal IP address checks without DNS lookups (InetAddress.getByName would resolve names). */
final class IpAddresses {

    private static final Pattern IPV4 = Pattern.compile(
            "((25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)\\.){3}(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)");
    private static final Pattern IPV6 = Pattern.compile("[0-9a-fA-F:]*:[0-9a-fA-F:.]*");

    private IpAddresses() {
    }

    static boolean isValid(String value) {
        return IPV4.matcher(value).matches() || (IPV6.matcher(value).matches() && value.length() >= 2);
    }
}
