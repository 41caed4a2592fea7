package dev.weft.proxy.router;

import com.google.re2j.Pattern;
import java.time.Duration;
import java.util.List;

/** What a matched route does. */
public sealed interface RouteAction {

    /**
     * Send the request to a cluster. A zero timeout means none. {@code terminatesConnect}: the route's upgrade_configs
     * take CONNECT with a connect_config, so a CONNECT request becomes a TCP tunnel to the cluster (Envoy's CONNECT
     * termination) instead of being forwarded.
     */
    record Forward(ClusterSpecifier clusters, String prefixRewrite, Pattern regexRewrite, String regexSubstitution,
            String hostRewrite, boolean autoHostRewrite, Duration timeout, Duration idleTimeout, RetryPolicy retryPolicy,
            List<HashPolicy> hashPolicies, List<MirrorPolicy> mirrors, CorsPolicy cors, boolean terminatesConnect)
            implements RouteAction {

        public Forward {
            hashPolicies = List.copyOf(hashPolicies);
            mirrors = List.copyOf(mirrors);
        }
    }

    /** Answer with a redirect. Null fields keep the request's own value. */
    record Redirect(int status, String scheme, String host, int port, String path, String prefixRewrite,
            boolean stripQuery) implements RouteAction {
    }

    /** Answer locally with a status and an optional body. */
    record DirectResponse(int status, String body) implements RouteAction {
    }
}
