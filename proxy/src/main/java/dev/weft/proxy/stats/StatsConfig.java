package dev.weft.proxy.stats;

import dev.weft.proxy.config.ConfigException;
import dev.weft.proxy.matcher.StringMatcher;
import io.envoyproxy.envoy.config.metrics.v3.StatsMatcher;
import io.envoyproxy.envoy.config.metrics.v3.TagSpecifier;
import io.envoyproxy.envoy.type.matcher.v3.ListStringMatcher;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

/**
 * The bootstrap's {@code stats_config}: which labels the Prometheus endpoint cuts out of stat names
 * ({@code stats_tags}, with Envoy's default tags unless {@code use_all_default_tags: false}) and which stats it
 * shows ({@code stats_matcher}). Istio's bootstrap replaces Envoy's tags with its own names ({@code cluster_name},
 * {@code response_code}, ...) and shows only a few Envoy stats unless {@code proxyStatsMatcher} adds more.
 *
 * <p>Unlike Envoy, the matcher filters what Prometheus scrapes, not what the proxy counts: weft's counters exist
 * whether or not they are shown, and the admin's {@code /stats} keeps them all for debugging.
 */
public record StatsConfig(List<TagExtractor> tags, Predicate<String> shown) {

    /** Envoy's default tags, as far as weft's stats have the names they describe. */
    static final List<TagExtractor> ENVOY_DEFAULT_TAGS = List.of(
            TagExtractor.regex("envoy.cluster_name", "^cluster\\.((.+?)\\.)"),
            TagExtractor.regex("envoy.listener_address",
                    "^listener\\.(((?:[_.[:digit:]]*|[_\\[\\]aAbBcCdDeEfF[:digit:]]*))\\.)"),
            TagExtractor.regex("envoy.http_conn_manager_prefix", "^http\\.((.*?)\\.)"),
            TagExtractor.regex("envoy.tcp_prefix", "^tcp\\.((.*?)\\.)\\w+?$"),
            TagExtractor.regex("envoy.response_code", "_rq(_(\\d{3}))$"),
            TagExtractor.regex("envoy.response_code_class", "_rq(_(\\dxx))$"));

    /**
     * weft's per-policy RBAC counters ({@code ...rbac.<rules prefix>policy.<id>.allowed}) carry the policy as a label,
     * so one metric holds every policy; Envoy has no such stat, so no tag config names it.
     */
    static final TagExtractor RBAC_POLICY = TagExtractor.regex("envoy.rbac_policy",
            "\\.rbac\\.[^.]*?policy\\.((.+)\\.)(?:shadow_)?(?:allowed|denied)$");

    public static final StatsConfig ENVOY_DEFAULTS = new StatsConfig(with(ENVOY_DEFAULT_TAGS, List.of()), s -> true);

    public StatsConfig {
        tags = List.copyOf(tags);
    }

    /** @throws ConfigException naming the field of {@code stats_config} that is wrong */
    public static StatsConfig of(io.envoyproxy.envoy.config.metrics.v3.StatsConfig proto) {
        List<TagExtractor> configured = new ArrayList<>();
        for (TagSpecifier t : proto.getStatsTagsList()) {
            if (t.getTagName().isEmpty()) {
                throw new ConfigException("stats_config.stats_tags: a tag needs a tag_name");
            }
            try {
                configured.add(switch (t.getTagValueCase()) {
                    case REGEX -> TagExtractor.regex(t.getTagName(), t.getRegex());
                    case FIXED_VALUE -> TagExtractor.fixed(t.getTagName(), t.getFixedValue());
                    case TAGVALUE_NOT_SET -> throw new ConfigException("stats_config.stats_tags '" + t.getTagName()
                            + "': Envoy's built-in tag of that name is the only kind without regex or fixed_value,"
                            + " and weft has none; give a regex");
                });
            } catch (IllegalArgumentException e) {
                throw new ConfigException("stats_config." + e.getMessage());
            }
        }
        boolean defaults = !proto.hasUseAllDefaultTags() || proto.getUseAllDefaultTags().getValue();
        return new StatsConfig(with(defaults ? ENVOY_DEFAULT_TAGS : List.of(), configured),
                proto.hasStatsMatcher() ? matcher(proto.getStatsMatcher()) : s -> true);
    }

    private static List<TagExtractor> with(List<TagExtractor> defaults, List<TagExtractor> configured) {
        List<TagExtractor> all = new ArrayList<>(configured);
        defaults.stream().filter(d -> configured.stream().noneMatch(c -> c.name().equals(d.name()))).forEach(all::add);
        all.add(RBAC_POLICY);
        return all;
    }

    private static Predicate<String> matcher(StatsMatcher m) {
        return switch (m.getStatsMatcherCase()) {
            case REJECT_ALL -> m.getRejectAll() ? s -> false : s -> true;
            case INCLUSION_LIST -> any(m.getInclusionList());
            case EXCLUSION_LIST -> any(m.getExclusionList()).negate();
            case STATSMATCHER_NOT_SET -> s -> true;
        };
    }

    private static Predicate<String> any(ListStringMatcher list) {
        List<StringMatcher> patterns = list.getPatternsList().stream().map(StringMatcher::compile).toList();
        return s -> patterns.stream().anyMatch(p -> p.matches(s));
    }
}
