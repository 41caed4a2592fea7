package dev.weft.proxy.matcher;

import dev.weft.proxy.config.ConfigException;
import java.net.InetAddress;
import java.net.UnknownHostException;

/** An address prefix such as 10.0.0.0/8, compared bytewise. */
public record CidrRange(byte[] prefix, int length) {

    /** A range; a negative length means the whole address (one host). Only IP literals are accepted. */
    public static CidrRange parse(String address, int length) {
        try {
            byte[] literal = io.netty.util.NetUtil.createByteArrayFromIpAddressString(address);
            if (literal == null) {
                throw new UnknownHostException(address);
            }
            byte[] bytes = InetAddress.getByAddress(literal).getAddress();
            if (length < 0) {
                length = bytes.length * 8;
            }
            if (length < 0 || length > bytes.length * 8) {
                throw new ConfigException("prefix length " + length + " is out of range for " + address);
            }
            return new CidrRange(bytes, length);
        } catch (UnknownHostException e) {
            throw new ConfigException("'" + address + "' is not an IP address");
        }
    }

    public boolean contains(InetAddress address) {
        byte[] a = address.getAddress();
        if (a.length != prefix.length) {
            return false;
        }
        int full = length / 8;
        for (int i = 0; i < full; i++) {
            if (a[i] != prefix[i]) {
                return false;
            }
        }
        int rest = length % 8;
        if (rest == 0) {
            return true;
        }
        int mask = 0xFF << (8 - rest);
        return (a[full] & mask) == (prefix[full] & mask);
    }
}
