package dev.weft.xds.route;

import com.google.protobuf.Any;
import com.google.protobuf.BoolValue;
import com.google.protobuf.ByteString;
import com.google.protobuf.Struct;
import com.google.protobuf.UInt32Value;
import com.google.protobuf.Value;
import dev.weft.model.Resource;
import dev.weft.model.networking.CorsPolicy;
import dev.weft.model.networking.Destination;
import dev.weft.model.networking.HTTPDirectResponse;
import dev.weft.model.networking.HTTPFaultInjection;
import dev.weft.model.networking.HTTPMatchRequest;
import dev.weft.model.networking.HTTPMirrorPolicy;
import dev.weft.model.networking.HTTPRedirect;
import dev.weft.model.networking.HTTPRoute;
import dev.weft.model.networking.HTTPRouteDestination;
import dev.weft.model.networking.HeaderOperations;
import dev.weft.model.networking.Headers;
import dev.weft.model.networking.StringMatch;
import dev.weft.model.networking.UnmatchedPreflights;
import dev.weft.model.networking.VirtualService;
import dev.weft.xds.cluster.Durations;
import dev.weft.xds.push.EffectivePolicy;
import dev.weft.xds.push.PushContext;
import io.envoyproxy.envoy.config.core.v3.DataSource;
import io.envoyproxy.envoy.config.core.v3.HeaderValue;
import io.envoyproxy.envoy.config.core.v3.HeaderValueOption;
import io.envoyproxy.envoy.config.core.v3.Metadata;
import io.envoyproxy.envoy.config.core.v3.RuntimeFractionalPercent;
import io.envoyproxy.envoy.config.route.v3.DirectResponseAction;
import io.envoyproxy.envoy.config.route.v3.RedirectAction;
import io.envoyproxy.envoy.config.route.v3.Route;
import io.envoyproxy.envoy.config.route.v3.RouteAction;
import io.envoyproxy.envoy.config.route.v3.RouteMatch;
import io.envoyproxy.envoy.config.route.v3.WeightedCluster;
import io.envoyproxy.envoy.extensions.filters.http.fault.v3.FaultAbort;
import io.envoyproxy.envoy.extensions.filters.http.fault.v3.HTTPFault;
import io.envoyproxy.envoy.extensions.filters.common.fault.v3.FaultDelay;
import io.envoyproxy.envoy.type.matcher.v3.RegexMatchAndSubstitute;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** One VirtualService HTTP rule to Envoy routes: one route per match block, in order. */
final class HttpRouteTranslator {

    static final String FAULT_FILTER = "envoy.filters.http.fault";
    static final String CORS_FILTER = "envoy.filters.http.cors";

    private HttpRouteTranslator() {
    }

    /**
     * Routes of a VirtualService for this context, delegates expanded. Each carries Istio's config metadata naming the
     * VirtualService ({@code istio.config}), by which istioctl's and weft's {@code proxy-config routes} show it.
     */
    static List<Route> translate(Resource<VirtualService> vs, RouteContext context) {
        List<Route> routes = new ArrayList<>();
        for (HTTPRoute rule : vs.spec().http()) {
            if (rule.delegate() != null) {
                routes.addAll(delegated(vs, rule, context));
            } else {
                routes.addAll(translate(rule, rule.match(), context, vs.namespace()));
            }
        }
        Metadata origin = configMetadata(vs);
        return routes.stream().map(r -> r.toBuilder().setMetadata(origin).build()).toList();
    }

    /** Istio's BuildConfigInfoMetadata: {@code /apis/<group>/<version>/namespaces/<ns>/virtual-service/<name>}. */
    private static Metadata configMetadata(Resource<VirtualService> vs) {
        String path = "/apis/" + vs.apiVersion() + "/namespaces/" + vs.namespace() + "/virtual-service/" + vs.name();
        return Metadata.newBuilder().putFilterMetadata("istio", Struct.newBuilder()
                .putFields("config", Value.newBuilder().setStringValue(path).build()).build()).build();
    }

    private static List<Route> delegated(Resource<VirtualService> root, HTTPRoute rule, RouteContext context) {
        String namespace = rule.delegate().namespace().isEmpty() ? root.namespace() : rule.delegate().namespace();
        Optional<Resource<VirtualService>> delegate = context.push().delegate(namespace, rule.delegate().name());
        List<Route> routes = new ArrayList<>();
        // A missing delegate, or a delegate rule that is not within the root's match, contributes nothing, as in
        // Istio: the request falls through to later rules.
        delegate.ifPresent(d -> {
            for (HTTPRoute child : d.spec().http()) {
                if (child.delegate() == null) {
                    DelegateMatches.merge(rule.match(), child.match()).ifPresent(matches ->
                            routes.addAll(translate(child, matches, context, root.namespace())));
                }
            }
        });
        return routes;
    }

    private static List<Route> translate(HTTPRoute rule, List<HTTPMatchRequest> matches, RouteContext context,
            String namespace) {
        List<Route> routes = new ArrayList<>();
        if (matches.isEmpty()) {
            routes.add(route(rule, null, context));
            return routes;
        }
        for (HTTPMatchRequest match : matches) {
            if (applies(match, context, namespace)) {
                routes.add(route(rule, match, context));
            }
        }
        return routes;
    }

    /** Port, gateway, source labels and source namespace are decided now, at config time. */
    private static boolean applies(HTTPMatchRequest match, RouteContext context, String namespace) {
        if (match.port() != 0 && match.port() != context.port()) {
            return false;
        }
        if (!match.gateways().isEmpty() && match.gateways().stream()
                .noneMatch(g -> PushContext.qualifyGateway(g, namespace).equals(context.gateway()))) {
            return false;
        }
        boolean mesh = context.gateway().equals(PushContext.MESH_GATEWAY);
        if (mesh && !context.proxy().labels().entrySet().containsAll(match.sourceLabels().entrySet())) {
            return false;
        }
        return !mesh || match.sourceNamespace().isEmpty() || match.sourceNamespace().equals(context.proxy().namespace());
    }

    private static Route route(HTTPRoute rule, HTTPMatchRequest match, RouteContext context) {
        Route.Builder route = Route.newBuilder().setMatch(match(match));
        String name = rule.name();
        if (match != null && !match.name().isEmpty()) {
            name = name.isEmpty() ? match.name() : name + "." + match.name();
        }
        if (!name.isEmpty()) {
            route.setName(name);
        }
        if (rule.redirect() != null) {
            route.setRedirect(redirect(rule.redirect()));
        } else if (rule.directResponse() != null) {
            route.setDirectResponse(directResponse(rule.directResponse()));
        } else {
            route.setRoute(action(rule, match, context));
        }
        if (rule.fault() != null) {
            route.putTypedPerFilterConfig(FAULT_FILTER, Any.pack(fault(rule.fault())));
        }
        if (rule.corsPolicy() != null) {
            route.putTypedPerFilterConfig(CORS_FILTER, Any.pack(cors(rule.corsPolicy())));
        }
        applyHeaders(route, rule.headers());
        if (rule.route().size() == 1) {
            // A lone destination's headers go on the route: there is no weighted cluster to hold them.
            applyHeaders(route, rule.route().getFirst().headers());
        }
        return route.build();
    }

    static RouteMatch match(HTTPMatchRequest match) {
        RouteMatch.Builder out = RouteMatch.newBuilder();
        StringMatch uri = match == null ? null : match.uri();
        if (uri == null || Matchers.isPresence(uri)) {
            out.setPrefix("/");
        } else if (uri.exact() != null) {
            out.setPath(uri.exact());
        } else if (uri.prefix() != null) {
            out.setPrefix(uri.prefix());
        } else {
            out.setSafeRegex(Matchers.regex(uri.regex()));
        }
        if (match == null) {
            return out.build();
        }
        if (match.ignoreUriCase()) {
            out.setCaseSensitive(BoolValue.of(false));
        }
        addPseudoHeader(out, ":authority", match.authority());
        addPseudoHeader(out, ":method", match.method());
        addPseudoHeader(out, ":scheme", match.scheme());
        new java.util.TreeMap<>(match.headers()).forEach((name, value) -> {
            if (!List.of("uri", "scheme", "method", "authority").contains(name)) {
                out.addHeaders(Matchers.header(name, value, false));
            }
        });
        new java.util.TreeMap<>(match.withoutHeaders()).forEach((name, value) ->
                out.addHeaders(Matchers.header(name, value, true)));
        new java.util.TreeMap<>(match.queryParams()).forEach((name, value) ->
                out.addQueryParameters(Matchers.queryParameter(name, value)));
        return out.build();
    }

    private static void addPseudoHeader(RouteMatch.Builder out, String name, StringMatch value) {
        if (value != null && !Matchers.isPresence(value)) {
            out.addHeaders(Matchers.header(name, value, false));
        }
    }

    private static RouteAction action(HTTPRoute rule, HTTPMatchRequest match, RouteContext context) {
        RouteAction.Builder action = RouteAction.newBuilder();
        List<HTTPRouteDestination> destinations = rule.route().size() > 1
                ? rule.route().stream().filter(d -> d.weight() > 0).toList()
                : rule.route();
        boolean consistentHash = false;
        if (destinations.size() == 1) {
            Destination destination = destinations.getFirst().destination();
            action.setCluster(context.cluster(destination));
            EffectivePolicy policy = context.policy(destination);
            consistentHash = policy.usesConsistentHash();
            HashPolicies.of(policy).ifPresent(action::addHashPolicy);
        } else if (!destinations.isEmpty()) {
            WeightedCluster.Builder weighted = WeightedCluster.newBuilder();
            for (HTTPRouteDestination destination : destinations) {
                WeightedCluster.ClusterWeight.Builder cluster = WeightedCluster.ClusterWeight.newBuilder()
                        .setName(context.cluster(destination.destination()))
                        .setWeight(UInt32Value.of(destination.weight()));
                applyHeaders(cluster, destination.headers());
                weighted.addClusters(cluster);
            }
            action.setWeightedClusters(weighted);
        }
        action.setTimeout(rule.timeout() == null ? Durations.seconds(0) : Durations.of(rule.timeout()));
        RetryPolicies.of(rule.retries(), consistentHash).ifPresent(action::setRetryPolicy);
        applyRewrite(action, rule, match);
        for (MirrorTarget mirror : mirrors(rule)) {
            action.addRequestMirrorPolicies(RouteAction.RequestMirrorPolicy.newBuilder()
                    .setCluster(context.cluster(mirror.destination()))
                    .setRuntimeFraction(RuntimeFractionalPercent.newBuilder()
                            .setDefaultValue(Percentages.of(mirror.percent())))
                    .setTraceSampled(BoolValue.of(false)));
        }
        return action.build();
    }

    private record MirrorTarget(Destination destination, double percent) {
    }

    /** {@code mirror} with {@code mirrorPercentage} (absent means 100), or the {@code mirrors} list. */
    private static List<MirrorTarget> mirrors(HTTPRoute rule) {
        List<MirrorTarget> targets = new ArrayList<>();
        if (rule.mirror() != null) {
            double percent = rule.mirrorPercentage() != null ? rule.mirrorPercentage().value()
                    : rule.mirrorPercent() != null ? rule.mirrorPercent() : 100;
            if (percent > 0) {
                targets.add(new MirrorTarget(rule.mirror(), percent));
            }
        }
        for (HTTPMirrorPolicy mirror : rule.mirrors()) {
            double percent = mirror.percentage() == null ? 100 : mirror.percentage().value();
            if (percent > 0) {
                targets.add(new MirrorTarget(mirror.destination(), percent));
            }
        }
        return targets;
    }

    private static void applyRewrite(RouteAction.Builder action, HTTPRoute rule, HTTPMatchRequest match) {
        if (rule.rewrite() == null) {
            return;
        }
        if (!rule.rewrite().uri().isEmpty()) {
            StringMatch uri = match == null ? null : match.uri();
            if (uri != null && uri.regex() != null && !Matchers.isPresence(uri)) {
                action.setRegexRewrite(RegexMatchAndSubstitute.newBuilder()
                        .setPattern(Matchers.regex(uri.regex())).setSubstitution(rule.rewrite().uri()));
            } else {
                // Envoy swaps the matched prefix, or the whole path for an exact match.
                action.setPrefixRewrite(rule.rewrite().uri());
            }
        } else if (rule.rewrite().uriRegexRewrite() != null) {
            action.setRegexRewrite(RegexMatchAndSubstitute.newBuilder()
                    .setPattern(Matchers.regex(rule.rewrite().uriRegexRewrite().match()))
                    .setSubstitution(rule.rewrite().uriRegexRewrite().rewrite()));
        }
        if (!rule.rewrite().authority().isEmpty()) {
            action.setHostRewriteLiteral(rule.rewrite().authority());
        }
    }

    private static RedirectAction redirect(HTTPRedirect redirect) {
        RedirectAction.Builder out = RedirectAction.newBuilder();
        if (!redirect.uri().isEmpty()) {
            out.setPathRedirect(redirect.uri());
        }
        if (!redirect.authority().isEmpty()) {
            out.setHostRedirect(redirect.authority());
        }
        if (!redirect.scheme().isEmpty()) {
            out.setSchemeRedirect(redirect.scheme());
        }
        if (redirect.port() > 0) {
            out.setPortRedirect(redirect.port());
        } else if (redirect.derivePort() == dev.weft.model.networking.RedirectPortSelection.FROM_PROTOCOL_DEFAULT) {
            out.setPortRedirect("https".equals(redirect.scheme()) ? 443 : 80);
        }
        out.setResponseCode(switch (redirect.redirectCode()) {
            case 302 -> RedirectAction.RedirectResponseCode.FOUND;
            case 303 -> RedirectAction.RedirectResponseCode.SEE_OTHER;
            case 307 -> RedirectAction.RedirectResponseCode.TEMPORARY_REDIRECT;
            case 308 -> RedirectAction.RedirectResponseCode.PERMANENT_REDIRECT;
            default -> RedirectAction.RedirectResponseCode.MOVED_PERMANENTLY;
        });
        return out.build();
    }

    private static DirectResponseAction directResponse(HTTPDirectResponse response) {
        DirectResponseAction.Builder out = DirectResponseAction.newBuilder().setStatus(response.status());
        if (response.body() != null) {
            if (response.body().string() != null) {
                out.setBody(DataSource.newBuilder().setInlineString(response.body().string()));
            } else if (response.body().bytes() != null) {
                out.setBody(DataSource.newBuilder().setInlineBytes(
                        ByteString.copyFrom(Base64.getDecoder().decode(response.body().bytes()))));
            }
        }
        return out.build();
    }

    private static HTTPFault fault(HTTPFaultInjection fault) {
        HTTPFault.Builder out = HTTPFault.newBuilder();
        if (fault.delay() != null) {
            FaultDelay.Builder delay = FaultDelay.newBuilder();
            if (fault.delay().fixedDelay() != null) {
                delay.setFixedDelay(Durations.of(fault.delay().fixedDelay()));
            }
            // Without a percentage Istio injects nothing; the deprecated integer percent still counts.
            double percent = fault.delay().percentage() != null ? fault.delay().percentage().value()
                    : fault.delay().percent();
            delay.setPercentage(Percentages.of(percent));
            out.setDelay(delay);
        }
        if (fault.abort() != null) {
            FaultAbort.Builder abort = FaultAbort.newBuilder();
            if (fault.abort().grpcStatus() != null && !fault.abort().grpcStatus().isEmpty()) {
                abort.setGrpcStatus(GrpcStatusCodes.of(fault.abort().grpcStatus()));
            } else {
                abort.setHttpStatus(fault.abort().httpStatus());
            }
            abort.setPercentage(Percentages.of(fault.abort().percentage()));
            out.setAbort(abort);
        }
        return out.build();
    }

    private static io.envoyproxy.envoy.extensions.filters.http.cors.v3.CorsPolicy cors(CorsPolicy cors) {
        var out = io.envoyproxy.envoy.extensions.filters.http.cors.v3.CorsPolicy.newBuilder();
        for (StringMatch origin : cors.allowOrigins()) {
            out.addAllowOriginStringMatch(Matchers.string(origin, false));
        }
        for (String origin : cors.allowOrigin()) {
            out.addAllowOriginStringMatch(io.envoyproxy.envoy.type.matcher.v3.StringMatcher.newBuilder().setExact(origin));
        }
        if (!cors.allowMethods().isEmpty()) {
            out.setAllowMethods(String.join(",", cors.allowMethods()));
        }
        if (!cors.allowHeaders().isEmpty()) {
            out.setAllowHeaders(String.join(",", cors.allowHeaders()));
        }
        if (!cors.exposeHeaders().isEmpty()) {
            out.setExposeHeaders(String.join(",", cors.exposeHeaders()));
        }
        if (cors.maxAge() != null) {
            out.setMaxAge(Long.toString(cors.maxAge().toSeconds()));
        }
        if (cors.allowCredentials() != null) {
            out.setAllowCredentials(BoolValue.of(cors.allowCredentials()));
        }
        out.setForwardNotMatchingPreflights(BoolValue.of(cors.unmatchedPreflights() != UnmatchedPreflights.IGNORE));
        return out.build();
    }

    private static void applyHeaders(Route.Builder route, Headers headers) {
        if (headers == null) {
            return;
        }
        if (headers.request() != null) {
            route.addAllRequestHeadersToAdd(headerOptions(headers.request()));
            route.addAllRequestHeadersToRemove(headers.request().remove());
        }
        if (headers.response() != null) {
            route.addAllResponseHeadersToAdd(headerOptions(headers.response()));
            route.addAllResponseHeadersToRemove(headers.response().remove());
        }
    }

    private static void applyHeaders(WeightedCluster.ClusterWeight.Builder cluster, Headers headers) {
        if (headers == null) {
            return;
        }
        if (headers.request() != null) {
            cluster.addAllRequestHeadersToAdd(headerOptions(headers.request()));
            cluster.addAllRequestHeadersToRemove(headers.request().remove());
        }
        if (headers.response() != null) {
            cluster.addAllResponseHeadersToAdd(headerOptions(headers.response()));
            cluster.addAllResponseHeadersToRemove(headers.response().remove());
        }
    }

    private static List<HeaderValueOption> headerOptions(HeaderOperations operations) {
        List<HeaderValueOption> options = new ArrayList<>();
        Map<String, String> set = new java.util.TreeMap<>(operations.set());
        Map<String, String> add = new java.util.TreeMap<>(operations.add());
        set.forEach((k, v) -> options.add(option(k, v, HeaderValueOption.HeaderAppendAction.OVERWRITE_IF_EXISTS_OR_ADD)));
        add.forEach((k, v) -> options.add(option(k, v, HeaderValueOption.HeaderAppendAction.APPEND_IF_EXISTS_OR_ADD)));
        return options;
    }

    private static HeaderValueOption option(String key, String value, HeaderValueOption.HeaderAppendAction action) {
        return HeaderValueOption.newBuilder()
                .setHeader(HeaderValue.newBuilder().setKey(key).setValue(value))
                .setAppendAction(action)
                .build();
    }
}
