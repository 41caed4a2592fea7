package dev.weft.proxy.accesslog;

import com.google.protobuf.Value;
import dev.weft.proxy.config.ConfigException;
import dev.weft.proxy.streaminfo.ResponseFlag;
import dev.weft.proxy.transport.OriginalDestination;
import io.netty.channel.Channel;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.UnknownHostException;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * Envoy's command operators, by name: turns {@code NAME}, its argument and its {@code :Z} length limit into a
 * {@link CommandOperator} at config time. An unknown operator, or one Weft does not implement, is a config error
 * that names it.
 */
final class CommandOperators {

    private static final List<String> UNSUPPORTED = List.of("FILTER_STATE", "UPSTREAM_FILTER_STATE",
            "UPSTREAM_PEER_URI_SAN", "UPSTREAM_PEER_SUBJECT", "UPSTREAM_LOCAL_URI_SAN", "UPSTREAM_TLS_VERSION",
            "CEL", "METADATA", "CLUSTER_METADATA", "UPSTREAM_METADATA", "ROUTE_METADATA", "LOCAL_REPLY_BODY",
            "REQ_WITHOUT_QUERY", "GRPC_STATUS", "GRPC_STATUS_NUMBER", "UPSTREAM_REQUEST_ATTEMPT_COUNT",
            "REQUEST_DURATION", "RESPONSE_DURATION", "RESPONSE_TX_DURATION", "DOWNSTREAM_TLS_CIPHER",
            "DOWNSTREAM_TLS_SESSION_ID", "DOWNSTREAM_PEER_FINGERPRINT_256", "DOWNSTREAM_PEER_SERIAL",
            "DOWNSTREAM_PEER_CERT", "DOWNSTREAM_PEER_ISSUER", "DOWNSTREAM_LOCAL_SUBJECT");

    private CommandOperators() {
    }

    static CommandOperator parse(String name, String argument, int maxLength) {
        CommandOperator op = operator(name, argument);
        if (maxLength <= 0) {
            return op;
        }
        return context -> {
            Object v = op.value(context);
            return v instanceof String s && s.length() > maxLength ? s.substring(0, maxLength) : v;
        };
    }

    private static CommandOperator operator(String name, String arg) {
        if (UNSUPPORTED.contains(name)) {
            throw new ConfigException("access log operator %" + name + "% is not supported");
        }
        if (!name.equals("START_TIME") && !name.equals("DYNAMIC_METADATA") && !isHeader(name) && arg != null) {
            throw new ConfigException("access log operator %" + name + "% takes no argument");
        }
        return switch (name) {
            case "START_TIME" -> {
                StartTimeFormat format = arg == null || arg.isEmpty() ? StartTimeFormat.DEFAULT
                        : StartTimeFormat.compile(arg);
                yield c -> format.format(c.startTime());
            }
            case "REQ", "REQUEST_HEADER" -> header(name, arg, AccessLogContext::requestHeader);
            case "RESP", "RESPONSE_HEADER" -> header(name, arg, AccessLogContext::responseHeader);
            case "TRAILER", "RESPONSE_TRAILER" -> header(name, arg, AccessLogContext::responseTrailer);
            case "PROTOCOL" -> AccessLogContext::protocol;
            case "RESPONSE_CODE" -> c -> (long) c.responseCode();
            case "RESPONSE_FLAGS" -> c -> ResponseFlag.format(c.responseFlags());
            case "RESPONSE_CODE_DETAILS" -> AccessLogContext::responseCodeDetails;
            case "CONNECTION_TERMINATION_DETAILS" -> AccessLogContext::connectionTerminationDetails;
            case "UPSTREAM_TRANSPORT_FAILURE_REASON" -> AccessLogContext::upstreamTransportFailureReason;
            case "BYTES_RECEIVED" -> AccessLogContext::bytesReceived;
            case "BYTES_SENT" -> AccessLogContext::bytesSent;
            case "DURATION" -> c -> c.durationNanos() / 1_000_000;
            case "UPSTREAM_HOST" -> AccessLogContext::upstreamHost;
            case "UPSTREAM_CLUSTER", "UPSTREAM_CLUSTER_RAW" -> AccessLogContext::upstreamCluster;
            case "UPSTREAM_LOCAL_ADDRESS" -> c -> address(c.upstreamLocalAddress(), true);
            case "DOWNSTREAM_LOCAL_ADDRESS" -> c -> address(local(c), true);
            case "DOWNSTREAM_LOCAL_ADDRESS_WITHOUT_PORT" -> c -> address(local(c), false);
            case "DOWNSTREAM_LOCAL_PORT" -> c -> port(local(c));
            case "DOWNSTREAM_REMOTE_ADDRESS", "DOWNSTREAM_DIRECT_REMOTE_ADDRESS" -> c -> address(remote(c), true);
            case "DOWNSTREAM_REMOTE_ADDRESS_WITHOUT_PORT", "DOWNSTREAM_DIRECT_REMOTE_ADDRESS_WITHOUT_PORT" ->
                    c -> address(remote(c), false);
            case "DOWNSTREAM_REMOTE_PORT", "DOWNSTREAM_DIRECT_REMOTE_PORT" -> c -> port(remote(c));
            case "REQUESTED_SERVER_NAME" -> c -> DownstreamTlsFacts.requestedServerName(c.downstreamConnection());
            case "ROUTE_NAME" -> AccessLogContext::routeName;
            case "DOWNSTREAM_PEER_URI_SAN" -> c -> DownstreamTlsFacts.peerUriSans(c.downstreamConnection());
            case "DOWNSTREAM_LOCAL_URI_SAN" -> c -> DownstreamTlsFacts.localUriSans(c.downstreamConnection());
            case "DOWNSTREAM_PEER_SUBJECT" -> c -> DownstreamTlsFacts.peerSubject(c.downstreamConnection());
            case "DOWNSTREAM_TLS_VERSION" -> c -> DownstreamTlsFacts.version(c.downstreamConnection());
            case "DYNAMIC_METADATA" -> dynamicMetadata(arg);
            case "HOSTNAME" -> hostname();
            default -> throw new ConfigException("access log operator %" + name + "% is not known");
        };
    }

    private static boolean isHeader(String name) {
        return switch (name) {
            case "REQ", "REQUEST_HEADER", "RESP", "RESPONSE_HEADER", "TRAILER", "RESPONSE_TRAILER" -> true;
            default -> false;
        };
    }

    private interface HeaderReader {
        String read(AccessLogContext context, String name);
    }

    /** {@code %REQ(X?Y)%}: header X, or Y when X is absent. */
    private static CommandOperator header(String operator, String arg, HeaderReader reader) {
        if (arg == null || arg.isEmpty()) {
            throw new ConfigException("access log operator %" + operator + "% needs a header name");
        }
        String[] names = arg.toLowerCase(Locale.ROOT).split("\\?", -1);
        if (names.length > 2 || Arrays.stream(names).anyMatch(String::isEmpty)) {
            throw new ConfigException("access log operator %" + operator + "(" + arg
                    + ")%: expected one header name, or two separated by ?");
        }
        String main = names[0];
        String alternative = names.length == 2 ? names[1] : null;
        return c -> {
            String v = reader.read(c, main);
            return v == null && alternative != null ? reader.read(c, alternative) : v;
        };
    }

    /** {@code %DYNAMIC_METADATA(NAMESPACE:KEY:...)%}: the namespace's struct, or the value at the key path. */
    private static CommandOperator dynamicMetadata(String arg) {
        if (arg == null || arg.isEmpty()) {
            throw new ConfigException("access log operator %DYNAMIC_METADATA% needs a namespace");
        }
        String[] path = arg.split(":", -1);
        String namespace = path[0];
        List<String> keys = List.of(path).subList(1, path.length);
        return c -> {
            if (keys.isEmpty()) {
                var struct = c.dynamicMetadata().get(namespace);
                return struct.getFieldsCount() == 0 ? null : Value.newBuilder().setStructValue(struct).build();
            }
            Value v = c.dynamicMetadata().value(namespace, keys);
            if (v == null || v.hasNullValue()) {
                return null;
            }
            return v.hasStringValue() ? v.getStringValue() : v;
        };
    }

    private static CommandOperator hostname() {
        String host;
        try {
            host = java.net.InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            host = null;
        }
        String name = host;
        return c -> name;
    }

    static SocketAddress local(AccessLogContext c) {
        Channel ch = c.downstreamConnection();
        return ch == null ? null : OriginalDestination.destination(ch);
    }

    static SocketAddress remote(AccessLogContext c) {
        Channel ch = c.downstreamConnection();
        return ch == null ? null : ch.remoteAddress();
    }

    /** Envoy's address text: {@code 10.0.0.1:80}, {@code [::1]:80}, or a Unix socket's path. */
    static String address(SocketAddress address, boolean withPort) {
        if (address instanceof InetSocketAddress inet) {
            String ip = inet.getAddress() == null ? inet.getHostString() : inet.getAddress().getHostAddress();
            int zone = ip.indexOf('%');
            if (zone >= 0) {
                ip = ip.substring(0, zone);
            }
            boolean v6 = ip.indexOf(':') >= 0;
            if (!withPort) {
                return ip;
            }
            return (v6 ? "[" + ip + "]" : ip) + ":" + inet.getPort();
        }
        return address == null ? null : address.toString();
    }

    static Long port(SocketAddress address) {
        return address instanceof InetSocketAddress inet ? (long) inet.getPort() : null;
    }
}
