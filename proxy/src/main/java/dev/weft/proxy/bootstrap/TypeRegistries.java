package dev.weft.proxy.bootstrap;

import com.google.protobuf.Descriptors;
import com.google.protobuf.util.JsonFormat;
import io.envoyproxy.envoy.config.cluster.v3.Cluster;
import io.envoyproxy.envoy.config.endpoint.v3.ClusterLoadAssignment;
import io.envoyproxy.envoy.config.listener.v3.Listener;
import io.envoyproxy.envoy.config.route.v3.RouteConfiguration;
import io.envoyproxy.envoy.config.trace.v3.OpenTelemetryConfig;
import io.envoyproxy.envoy.config.trace.v3.ZipkinConfig;
import io.envoyproxy.envoy.extensions.access_loggers.file.v3.FileAccessLog;
import io.envoyproxy.envoy.extensions.access_loggers.stream.v3.StderrAccessLog;
import io.envoyproxy.envoy.extensions.access_loggers.stream.v3.StdoutAccessLog;
import io.envoyproxy.envoy.extensions.filters.http.cors.v3.Cors;
import io.envoyproxy.envoy.extensions.filters.http.cors.v3.CorsPolicy;
import io.envoyproxy.envoy.extensions.filters.http.ext_authz.v3.ExtAuthz;
import io.envoyproxy.envoy.extensions.filters.http.ext_authz.v3.ExtAuthzPerRoute;
import io.envoyproxy.envoy.extensions.filters.http.fault.v3.HTTPFault;
import io.envoyproxy.envoy.extensions.filters.http.jwt_authn.v3.JwtAuthentication;
import io.envoyproxy.envoy.extensions.filters.http.local_ratelimit.v3.LocalRateLimit;
import io.envoyproxy.envoy.extensions.filters.http.rbac.v3.RBACPerRoute;
import io.envoyproxy.envoy.extensions.filters.http.router.v3.Router;
import io.envoyproxy.envoy.extensions.filters.listener.http_inspector.v3.HttpInspector;
import io.envoyproxy.envoy.extensions.filters.listener.original_dst.v3.OriginalDst;
import io.envoyproxy.envoy.extensions.filters.listener.tls_inspector.v3.TlsInspector;
import io.envoyproxy.envoy.extensions.filters.network.http_connection_manager.v3.HttpConnectionManager;
import io.envoyproxy.envoy.extensions.filters.network.tcp_proxy.v3.TcpProxy;
import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.DownstreamTlsContext;
import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.Secret;
import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.UpstreamTlsContext;
import io.envoyproxy.envoy.extensions.upstreams.http.v3.HttpProtocolOptions;
import io.envoyproxy.envoy.extensions.resource_monitors.downstream_connections.v3.DownstreamConnectionsConfig;
import io.envoyproxy.envoy.extensions.retry.host.previous_hosts.v3.PreviousHostsPredicate;
import io.envoyproxy.envoy.extensions.retry.priority.previous_priorities.v3.PreviousPrioritiesConfig;
import java.util.List;

/** The {@code Any} payload types that bootstrap files and xDS responses may carry. */
public final class TypeRegistries {

    private TypeRegistries() {
    }

    /** Every message type the proxy understands inside an {@code Any}. */
    public static JsonFormat.TypeRegistry envoy() {
        return JsonFormat.TypeRegistry.newBuilder().add(descriptors()).build();
    }

    public static List<Descriptors.Descriptor> descriptors() {
        return List.of(
                Listener.getDescriptor(),
                RouteConfiguration.getDescriptor(),
                Cluster.getDescriptor(),
                ClusterLoadAssignment.getDescriptor(),
                Secret.getDescriptor(),
                HttpConnectionManager.getDescriptor(),
                TcpProxy.getDescriptor(),
                Router.getDescriptor(),
                HTTPFault.getDescriptor(),
                Cors.getDescriptor(),
                CorsPolicy.getDescriptor(),
                PreviousHostsPredicate.getDescriptor(),
                PreviousPrioritiesConfig.getDescriptor(),
                LocalRateLimit.getDescriptor(),
                io.envoyproxy.envoy.extensions.filters.http.rbac.v3.RBAC.getDescriptor(),
                RBACPerRoute.getDescriptor(),
                io.envoyproxy.envoy.extensions.filters.network.rbac.v3.RBAC.getDescriptor(),
                ExtAuthz.getDescriptor(),
                ExtAuthzPerRoute.getDescriptor(),
                io.envoyproxy.envoy.extensions.filters.network.ext_authz.v3.ExtAuthz.getDescriptor(),
                JwtAuthentication.getDescriptor(),
                TlsInspector.getDescriptor(),
                HttpInspector.getDescriptor(),
                OriginalDst.getDescriptor(),
                DownstreamTlsContext.getDescriptor(),
                UpstreamTlsContext.getDescriptor(),
                io.envoyproxy.envoy.extensions.transport_sockets.raw_buffer.v3.RawBuffer.getDescriptor(),
                com.github.xds.type.v3.TypedStruct.getDescriptor(),
                io.envoyproxy.envoy.extensions.path.match.uri_template.v3.UriTemplateMatchConfig.getDescriptor(),
                HttpProtocolOptions.getDescriptor(),
                io.envoyproxy.envoy.extensions.filters.http.dynamic_forward_proxy.v3.FilterConfig.getDescriptor(),
                io.envoyproxy.envoy.extensions.clusters.dynamic_forward_proxy.v3.ClusterConfig.getDescriptor(),
                DownstreamConnectionsConfig.getDescriptor(),
                FileAccessLog.getDescriptor(),
                StdoutAccessLog.getDescriptor(),
                StderrAccessLog.getDescriptor(),
                ZipkinConfig.getDescriptor(),
                OpenTelemetryConfig.getDescriptor(),
                io.envoyproxy.envoy.extensions.access_loggers.filters.cel.v3.ExpressionFilter.getDescriptor());
    }
}
