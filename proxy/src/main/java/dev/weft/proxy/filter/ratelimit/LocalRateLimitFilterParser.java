package dev.weft.proxy.filter.ratelimit;

import dev.weft.proxy.config.MessageType;
import dev.weft.proxy.streaminfo.ResponseCodeDetails;
import com.google.protobuf.Any;
import com.google.protobuf.InvalidProtocolBufferException;
import dev.weft.proxy.config.ConfigException;
import dev.weft.proxy.config.Durations;
import dev.weft.proxy.filter.FilterStatus;
import dev.weft.proxy.filter.HttpFilter;
import dev.weft.proxy.filter.HttpFilterConfigParser;
import dev.weft.proxy.filter.Percentages;
import dev.weft.proxy.streaminfo.ResponseFlag;
import io.envoyproxy.envoy.extensions.filters.http.local_ratelimit.v3.LocalRateLimit;
import java.util.concurrent.atomic.LongAdder;

/**
 * Parses {@code envoy.extensions.filters.http.local_ratelimit.v3.LocalRateLimit}: one token bucket per filter
 * config, shared by all connections. Requests beyond it get the configured status (429) and the flag RL.
 * As in Envoy, the filter checks nothing unless {@code filter_enabled} is set, and only rejects for the
 * {@code filter_enforced} share.
 */
public final class LocalRateLimitFilterParser {

    private static final MessageType<LocalRateLimit> LOCAL_RATE_LIMIT = MessageType.of(
            LocalRateLimit.getDescriptor(), LocalRateLimit.parser());

    public static final String CONFIG_TYPE = LOCAL_RATE_LIMIT.fullName();

    private LocalRateLimitFilterParser() {
    }

    public static HttpFilterConfigParser parser() {
        return (any, context) -> {
            LocalRateLimit p = unpack(any);
            if (!p.hasTokenBucket()) {
                return () -> (HttpFilter) exchange -> FilterStatus.CONTINUE;
            }
            var tb = p.getTokenBucket();
            if (tb.getMaxTokens() < 1 || !tb.hasFillInterval()) {
                throw new ConfigException("local_ratelimit token_bucket needs max_tokens >= 1 and a fill_interval");
            }
            long fill = Durations.of(tb.getFillInterval()).toNanos();
            if (fill < 50_000_000L) {
                throw new ConfigException("local_ratelimit token_bucket fill_interval must be at least 50ms");
            }
            long perFill = tb.hasTokensPerFill() ? tb.getTokensPerFill().getValue() : 1;
            TokenBucket bucket = new TokenBucket(tb.getMaxTokens(), perFill, fill, context.ticker());
            int status = p.hasStatus() && p.getStatus().getCodeValue() >= 400 ? p.getStatus().getCodeValue() : 429;
            int enabledNum = p.hasFilterEnabled() ? p.getFilterEnabled().getDefaultValue().getNumerator() : 0;
            int enabledDen = p.hasFilterEnabled() ? Percentages.denominator(p.getFilterEnabled().getDefaultValue()) : 100;
            int enforcedNum = p.hasFilterEnforced() ? p.getFilterEnforced().getDefaultValue().getNumerator() : 0;
            int enforcedDen = p.hasFilterEnforced() ? Percentages.denominator(p.getFilterEnforced().getDefaultValue()) : 100;
            String prefix = p.getStatPrefix().isEmpty() ? "local_rate_limit" : p.getStatPrefix();
            LongAdder limited = context.stats().counter(prefix + ".http_local_rate_limit.rate_limited");
            LongAdder ok = context.stats().counter(prefix + ".http_local_rate_limit.ok");
            return () -> exchange -> {
                var random = exchange.worker().random();
                if (enabledNum < enabledDen && random.nextInt(enabledDen) >= enabledNum) {
                    return FilterStatus.CONTINUE;
                }
                if (bucket.tryTake()) {
                    ok.increment();
                    return FilterStatus.CONTINUE;
                }
                limited.increment();
                if (enforcedNum < enforcedDen && random.nextInt(enforcedDen) >= enforcedNum) {
                    return FilterStatus.CONTINUE;
                }
                exchange.sendLocalReply(status, "local_rate_limited", ResponseFlag.RATE_LIMITED,
                        ResponseCodeDetails.LOCAL_RATE_LIMITED);
                return FilterStatus.STOP;
            };
        };
    }

    private static LocalRateLimit unpack(Any any) {
        try {
            return LOCAL_RATE_LIMIT.unpack(any);
        } catch (InvalidProtocolBufferException e) {
            throw new ConfigException("local_ratelimit config does not parse: " + e.getMessage());
        }
    }
}
