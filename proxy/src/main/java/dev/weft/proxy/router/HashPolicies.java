package dev.weft.proxy.router;

import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;

/** Combines a route's hash policies into one key, as Envoy does: rotate and xor, stop at a terminal policy. */
public final class HashPolicies {

    private HashPolicies() {
    }

    /** The request's hash, or null when no policy produced one (the load balancer then picks at random). */
    public static Long compute(List<HashPolicy> policies, RouteRequest request, InetSocketAddress source) {
        Long result = null;
        for (HashPolicy p : policies) {
            Long h = p.hash(request, source);
            if (h != null) {
                result = result == null ? h : Long.rotateLeft(result, 1) ^ h;
                if (p.terminal()) {
                    break;
                }
            }
        }
        return result;
    }

    /**
     * A 64-bit FNV-1a hash finished with MurmurHash3's mixer: stable across runs and cheap, and the mixer spreads
     * short, similar keys ("10.0.0.1:80_0", "10.0.0.1:80_1") over the whole range, which a hash ring needs.
     */
    public static long hashString(String s) {
        long h = 0xcbf29ce484222325L;
        for (byte b : s.getBytes(StandardCharsets.UTF_8)) {
            h ^= b & 0xff;
            h *= 0x100000001b3L;
        }
        h ^= h >>> 33;
        h *= 0xff51afd7ed558ccdL;
        h ^= h >>> 33;
        h *= 0xc4ceb9fe1a85ec53L;
        h ^= h >>> 33;
        return h;
    }
}
