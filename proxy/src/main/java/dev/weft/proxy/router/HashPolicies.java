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

    /** A 64-bit FNV-1a hash: stable across runs, cheap, and well spread for short keys. */
    public static long hashString(String s) {
        long h = 0xcbf29ce484222325L;
        for (byte b : s.getBytes(StandardCharsets.UTF_8)) {
            h ^= b & 0xff;
            h *= 0x100000001b3L;
        }
        return h;
    }
}
