package dev.weft.proxy.upstream;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.Arrays;
import java.util.Comparator;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * Resolves a request's authority ({@code host}, {@code host:port}, {@code [v6]:port}) to an address for a dynamic
 * forward proxy cluster, as Envoy's DNS cache does: by name at request time, with the system resolver (which keeps
 * its own cache, {@code networkaddress.cache.ttl}). Lookups block, so each runs on a virtual thread, never on an
 * event loop. IPv4 only when the cluster says V4_ONLY, else IPv4 first.
 */
final class AuthorityResolver {

    /** Virtual threads: a slow DNS server holds no platform thread. */
    private static final ExecutorService LOOKUPS = Executors.newVirtualThreadPerTaskExecutor();

    private AuthorityResolver() {
    }

    /** The address, or a future failed with {@link UnknownHostException} for a bad authority or unknown name. */
    static CompletableFuture<InetSocketAddress> resolve(String authority, int defaultPort, boolean ipv4Only) {
        String name;
        int port;
        try {
            int close = authority.startsWith("[") ? authority.indexOf(']') : -1;
            int colon = close >= 0 ? authority.indexOf(':', close) : authority.lastIndexOf(':');
            if (close < 0 && authority.indexOf(':') != colon) {
                throw new UnknownHostException("not host:port: " + authority);
            }
            name = close >= 0 ? authority.substring(1, close) : colon < 0 ? authority : authority.substring(0, colon);
            port = colon < 0 ? defaultPort : Integer.parseInt(authority.substring(colon + 1));
            if (name.isEmpty() || port <= 0 || port > 65535) {
                throw new UnknownHostException("not host:port: " + authority);
            }
        } catch (NumberFormatException | UnknownHostException e) {
            return CompletableFuture.failedFuture(e instanceof UnknownHostException ? e
                    : new UnknownHostException("not host:port: " + authority));
        }
        return CompletableFuture.supplyAsync(() -> {
            try {
                InetAddress[] all = InetAddress.getAllByName(name);
                InetAddress chosen = Arrays.stream(all)
                        .filter(a -> !ipv4Only || a instanceof Inet4Address)
                        .min(Comparator.comparing(a -> a instanceof Inet4Address ? 0 : 1))
                        .orElseThrow(() -> new UnknownHostException(name + " has no IPv4 address"));
                return new InetSocketAddress(chosen, port);
            } catch (UnknownHostException e) {
                throw new java.util.concurrent.CompletionException(e);
            }
        }, LOOKUPS);
    }
}
