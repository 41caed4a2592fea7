package dev.weft.proxy.streaminfo;

import io.netty.channel.Channel;
import io.netty.util.AttributeKey;

/**
 * Envoy's connection termination details ({@code %CONNECTION_TERMINATION_DETAILS%}): why the proxy closed a
 * downstream connection itself, e.g. network RBAC's {@code rbac_access_denied_matched_policy[...]}. Kept on the
 * connection, so the tcp_proxy or HTTP access log of that connection reads it.
 */
public final class ConnectionTermination {

    private static final AttributeKey<String> DETAILS = AttributeKey.valueOf("weft.connection-termination-details");

    private ConnectionTermination() {
    }

    public static void set(Channel connection, String details) {
        connection.attr(DETAILS).set(details);
    }

    /** The details, or null when the proxy did not end the connection on purpose. */
    public static String of(Channel connection) {
        return connection.attr(DETAILS).get();
    }
}
