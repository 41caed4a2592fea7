package dev.weft.proxy.router;

import com.google.protobuf.Any;
import dev.weft.proxy.config.ConfigException;
import dev.weft.proxy.config.Durations;
import dev.weft.proxy.matcher.ConfigRegex;
import dev.weft.proxy.matcher.StringMatcher;
import io.envoyproxy.envoy.config.route.v3.RedirectAction;
import io.envoyproxy.envoy.config.route.v3.RouteConfiguration;
import io.envoyproxy.envoy.config.route.v3.WeightedCluster;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** Compiles a {@link RouteConfiguration} into a {@link RouteTable}, or throws {@link ConfigException}. */
public final class RouteTableCompiler {

    /** Envoy's route timeout when a route sets none. */
    static final Duration DEFAULT_ROUTE_TIMEOUT = Duration.ofSeconds(15);

    private RouteTableCompiler() {
    }

    public static RouteTable compile(RouteConfiguration config) {
        return compile(config, PerFilterConfigParser.NONE);
    }

    public static RouteTable compile(RouteConfiguration config, PerFilterConfigParser perFilter) {
        List<VirtualHost> hosts = new ArrayList<>();
        Map<String, VirtualHost> exact = new HashMap<>();
        List<Map.Entry<String, VirtualHost>> suffixes = new ArrayList<>();
        List<Map.Entry<String, VirtualHost>> prefixes = new ArrayList<>();
        VirtualHost fallback = null;
        for (var vhProto : config.getVirtualHostsList()) {
            VirtualHost vh = virtualHost(vhProto, perFilter);
            hosts.add(vh);
            for (String raw : vh.domains()) {
                String d = raw.toLowerCase(Locale.ROOT);
                boolean duplicate;
                if (d.equals("*")) {
                    duplicate = fallback != null;
                    fallback = vh;
                } else if (d.startsWith("*")) {
                    duplicate = suffixes.stream().anyMatch(e -> e.getKey().equals(d.substring(1)));
                    suffixes.add(Map.entry(d.substring(1), vh));
                } else if (d.endsWith("*")) {
                    duplicate = prefixes.stream().anyMatch(e -> e.getKey().equals(d.substring(0, d.length() - 1)));
                    prefixes.add(Map.entry(d.substring(0, d.length() - 1), vh));
                } else {
                    duplicate = exact.putIfAbsent(d, vh) != null;
                }
                if (duplicate) {
                    throw new ConfigException("domain '" + raw + "' appears in more than one virtual host");
                }
            }
        }
        Comparator<Map.Entry<String, VirtualHost>> longestFirst = Comparator.comparingInt(e -> -e.getKey().length());
        suffixes.sort(longestFirst);
        prefixes.sort(longestFirst);
        return new RouteTable(config.getName(), hosts, exact, suffixes, prefixes, fallback,
                HeaderMutation.compile(config.getRequestHeadersToAddList(), config.getRequestHeadersToRemoveList()),
                HeaderMutation.compile(config.getResponseHeadersToAddList(), config.getResponseHeadersToRemoveList()));
    }

    private static VirtualHost virtualHost(io.envoyproxy.envoy.config.route.v3.VirtualHost p, PerFilterConfigParser perFilter) {
        if (p.getDomainsCount() == 0) {
            throw new ConfigException("virtual host '" + p.getName() + "' has no domains");
        }
        for (String d : p.getDomainsList()) {
            if (d.indexOf('*') != d.lastIndexOf('*') || (d.contains("*") && !d.startsWith("*") && !d.endsWith("*"))) {
                throw new ConfigException("virtual host '" + p.getName() + "' domain '" + d
                        + "': only one leading or trailing wildcard is allowed");
            }
        }
        RetryPolicy vhRetry = p.hasRetryPolicy() ? RetryPolicy.compile(p.getRetryPolicy()) : RetryPolicy.NONE;
        List<Route> routes = new ArrayList<>();
        for (var r : p.getRoutesList()) {
            try {
                routes.add(route(r, vhRetry, perFilter));
            } catch (ConfigException e) {
                throw new ConfigException("virtual host '" + p.getName() + "' route '" + r.getName() + "': " + e.getMessage());
            }
        }
        return new VirtualHost(p.getName(), p.getDomainsList(), routes,
                HeaderMutation.compile(p.getRequestHeadersToAddList(), p.getRequestHeadersToRemoveList()),
                HeaderMutation.compile(p.getResponseHeadersToAddList(), p.getResponseHeadersToRemoveList()),
                vhRetry, p.getIncludeRequestAttemptCount(), overrides(p.getTypedPerFilterConfigMap(), perFilter),
                switch (p.getRequireTls()) {
                    case ALL -> VirtualHost.TlsRequirement.ALL;
                    case EXTERNAL_ONLY -> VirtualHost.TlsRequirement.EXTERNAL_ONLY;
                    default -> VirtualHost.TlsRequirement.NONE;
                });
    }

    private static Map<String, RouteSpecificFilterConfig> overrides(Map<String, Any> configs, PerFilterConfigParser perFilter) {
        Map<String, RouteSpecificFilterConfig> out = new HashMap<>();
        configs.forEach((name, any) -> {
            RouteSpecificFilterConfig f = perFilter.parse(name, any);
            if (f != null) {
                out.put(name, f);
            }
        });
        return out;
    }

    private static Route route(io.envoyproxy.envoy.config.route.v3.Route p, RetryPolicy vhRetry, PerFilterConfigParser perFilter) {
        var match = p.getMatch();
        RouteAction action = switch (p.getActionCase()) {
            case ROUTE -> forward(p.getRoute(), vhRetry);
            case REDIRECT -> redirect(p.getRedirect());
            case DIRECT_RESPONSE -> {
                int status = p.getDirectResponse().getStatus();
                if (status < 200 || status > 599) {
                    throw new ConfigException("direct_response status " + status + " must be in 200-599");
                }
                var body = p.getDirectResponse().getBody();
                yield new RouteAction.DirectResponse(status, body.hasInlineString() ? body.getInlineString()
                        : body.hasInlineBytes() ? body.getInlineBytes().toStringUtf8() : "");
            }
            default -> throw new ConfigException("route needs one of route, redirect, direct_response");
        };
        return new Route(p.getName(), RequestMatch.compile(match), action,
                HeaderMutation.compile(p.getRequestHeadersToAddList(), p.getRequestHeadersToRemoveList()),
                HeaderMutation.compile(p.getResponseHeadersToAddList(), p.getResponseHeadersToRemoveList()),
                overrides(p.getTypedPerFilterConfigMap(), perFilter));
    }

    @SuppressWarnings("deprecation") // deprecated fields still arrive from control planes and old clients
    private static RouteAction.Forward forward(io.envoyproxy.envoy.config.route.v3.RouteAction p, RetryPolicy vhRetry) {
        ClusterSpecifier clusters = switch (p.getClusterSpecifierCase()) {
            case CLUSTER -> new ClusterSpecifier.Single(p.getCluster());
            case CLUSTER_HEADER -> new ClusterSpecifier.FromHeader(p.getClusterHeader().toLowerCase(Locale.ROOT));
            case WEIGHTED_CLUSTERS -> weighted(p.getWeightedClusters());
            default -> throw new ConfigException("route action needs one of cluster, cluster_header, weighted_clusters");
        };
        String prefixRewrite = p.getPrefixRewrite().isEmpty() ? null : p.getPrefixRewrite();
        var regex = p.hasRegexRewrite() ? ConfigRegex.compile(p.getRegexRewrite().getPattern()) : null;
        if (prefixRewrite != null && regex != null) {
            throw new ConfigException("prefix_rewrite and regex_rewrite are mutually exclusive");
        }
        String substitution = regex == null ? null : envoySubstitution(p.getRegexRewrite().getSubstitution());
        Duration timeout = p.hasTimeout() ? Durations.of(p.getTimeout()) : DEFAULT_ROUTE_TIMEOUT;
        Duration idle = p.hasIdleTimeout() ? Durations.of(p.getIdleTimeout()) : Duration.ZERO;
        RetryPolicy retry = p.hasRetryPolicy() ? RetryPolicy.compile(p.getRetryPolicy()) : vhRetry;
        List<HashPolicy> hash = p.getHashPolicyList().stream().map(RouteTableCompiler::hashPolicy).toList();
        List<MirrorPolicy> mirrors = p.getRequestMirrorPoliciesList().stream().map(m -> {
            if (m.getCluster().isEmpty()) {
                throw new ConfigException("request_mirror_policies needs a cluster");
            }
            int num = 100;
            int den = 100;
            if (m.hasRuntimeFraction()) {
                var f = m.getRuntimeFraction().getDefaultValue();
                num = f.getNumerator();
                den = switch (f.getDenominator()) {
                    case HUNDRED -> 100;
                    case TEN_THOUSAND -> 10_000;
                    case MILLION -> 1_000_000;
                    default -> 100;
                };
            }
            return new MirrorPolicy(m.getCluster(), num, den);
        }).toList();
        CorsPolicy cors = p.hasCors() ? cors(p.getCors()) : null;
        String hostRewrite = p.getHostRewriteLiteral().isEmpty() ? null : p.getHostRewriteLiteral();
        return new RouteAction.Forward(clusters, prefixRewrite, regex, substitution, hostRewrite,
                p.hasAutoHostRewrite() && p.getAutoHostRewrite().getValue(), timeout, idle, retry, hash, mirrors, cors,
                p.getUpgradeConfigsList().stream().anyMatch(u -> u.getUpgradeType().equalsIgnoreCase("CONNECT")
                        && (!u.hasEnabled() || u.getEnabled().getValue()) && u.hasConnectConfig()));
    }

    /** Envoy writes capture groups as \1; Java's replacement syntax is $1. */
    private static String envoySubstitution(String s) {
        return s.replace("$", "\\$").replaceAll("\\\\(\\d)", "\\$$1");
    }

    private static ClusterSpecifier weighted(WeightedCluster w) {
        List<ClusterSpecifier.WeightedTarget> targets = new ArrayList<>();
        for (var c : w.getClustersList()) {
            if (c.getName().isEmpty()) {
                throw new ConfigException("weighted cluster entry needs a name");
            }
            long weight = c.hasWeight() ? c.getWeight().getValue() : 0;
            if (weight > 0) {
                targets.add(new ClusterSpecifier.WeightedTarget(c.getName(), weight,
                        HeaderMutation.compile(c.getRequestHeadersToAddList(), c.getRequestHeadersToRemoveList()),
                        HeaderMutation.compile(c.getResponseHeadersToAddList(), c.getResponseHeadersToRemoveList())));
            }
        }
        if (targets.isEmpty()) {
            throw new ConfigException("weighted_clusters must have a total weight greater than zero");
        }
        return ClusterSpecifier.Weighted.of(targets);
    }

    private static HashPolicy hashPolicy(io.envoyproxy.envoy.config.route.v3.RouteAction.HashPolicy p) {
        return switch (p.getPolicySpecifierCase()) {
            case HEADER -> new HashPolicy(HashPolicy.Kind.HEADER, p.getHeader().getHeaderName().toLowerCase(Locale.ROOT), p.getTerminal());
            case COOKIE -> new HashPolicy(HashPolicy.Kind.COOKIE, p.getCookie().getName(), p.getTerminal());
            case CONNECTION_PROPERTIES -> new HashPolicy(HashPolicy.Kind.SOURCE_IP, "", p.getTerminal());
            case QUERY_PARAMETER -> new HashPolicy(HashPolicy.Kind.QUERY_PARAMETER, p.getQueryParameter().getName(), p.getTerminal());
            default -> throw new ConfigException("unsupported hash_policy " + p.getPolicySpecifierCase());
        };
    }

    private static RouteAction.Redirect redirect(RedirectAction p) {
        int status = switch (p.getResponseCode()) {
            case MOVED_PERMANENTLY -> 301;
            case FOUND -> 302;
            case SEE_OTHER -> 303;
            case TEMPORARY_REDIRECT -> 307;
            case PERMANENT_REDIRECT -> 308;
            default -> 301;
        };
        String scheme = p.getHttpsRedirect() ? "https" : p.getSchemeRedirect().isEmpty() ? null : p.getSchemeRedirect();
        return new RouteAction.Redirect(status, scheme, p.getHostRedirect().isEmpty() ? null : p.getHostRedirect(),
                p.getPortRedirect(), p.getPathRedirect().isEmpty() ? null : p.getPathRedirect(),
                p.getPrefixRewrite().isEmpty() ? null : p.getPrefixRewrite(), p.getStripQuery());
    }

    private static CorsPolicy cors(io.envoyproxy.envoy.config.route.v3.CorsPolicy p) {
        return new CorsPolicy(p.getAllowOriginStringMatchList().stream().map(StringMatcher::compile).toList(),
                p.getAllowMethods(), p.getAllowHeaders(), p.getExposeHeaders(), p.getMaxAge(),
                p.hasAllowCredentials() && p.getAllowCredentials().getValue());
    }
}
