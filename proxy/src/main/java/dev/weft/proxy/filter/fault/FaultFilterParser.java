package dev.weft.proxy.filter.fault;

import com.google.protobuf.Any;
import com.google.protobuf.InvalidProtocolBufferException;
import dev.weft.proxy.config.ConfigException;
import dev.weft.proxy.config.Durations;
import dev.weft.proxy.config.MessageType;
import dev.weft.proxy.filter.HttpFilterConfigParser;
import dev.weft.proxy.filter.Percentages;
import io.envoyproxy.envoy.extensions.filters.http.fault.v3.HTTPFault;
import java.util.concurrent.atomic.AtomicReference;

/** Parses {@code envoy.extensions.filters.http.fault.v3.HTTPFault}. */
public final class FaultFilterParser {

    private static final MessageType<HTTPFault> HTTP_FAULT = MessageType.of(
            HTTPFault.getDescriptor(), HTTPFault.parser());

    public static final String CONFIG_TYPE = HTTP_FAULT.fullName();

    private FaultFilterParser() {
    }

    public static HttpFilterConfigParser parser() {
        return (any, context) -> {
            FaultConfig config = compile(unpack(any));
            var stats = new AtomicReference<FaultStats>();
            return new FaultFilterFactory(config,
                    () -> stats.updateAndGet(s -> s != null ? s : FaultStats.of(context.stats(), context.statPrefix())));
        };
    }

    private static HTTPFault unpack(Any any) {
        try {
            return HTTP_FAULT.unpack(any);
        } catch (InvalidProtocolBufferException e) {
            throw new ConfigException("fault filter config does not parse: " + e.getMessage());
        }
    }

    static FaultConfig compile(HTTPFault p) {
        FaultConfig.Delay delay = null;
        if (p.hasDelay()) {
            var d = p.getDelay();
            var pct = d.getPercentage();
            boolean header = d.hasHeaderDelay();
            if (!header && !d.hasFixedDelay()) {
                throw new ConfigException("fault delay needs fixed_delay or header_delay");
            }
            delay = new FaultConfig.Delay(header ? null : Durations.of(d.getFixedDelay()), header,
                    d.hasPercentage() ? pct.getNumerator() : 100, d.hasPercentage() ? Percentages.denominator(pct) : 100);
        }
        FaultConfig.Abort abort = null;
        if (p.hasAbort()) {
            var a = p.getAbort();
            var pct = a.getPercentage();
            int http = a.getHttpStatus();
            if (a.hasHttpStatus() && (http < 200 || http >= 600)) {
                throw new ConfigException("fault abort http_status " + http + " must be in [200, 600)");
            }
            abort = new FaultConfig.Abort(http, a.hasGrpcStatus() ? a.getGrpcStatus() : -1, a.hasHeaderAbort(),
                    a.hasPercentage() ? pct.getNumerator() : 100, a.hasPercentage() ? Percentages.denominator(pct) : 100);
        }
        long max = p.hasMaxActiveFaults() ? p.getMaxActiveFaults().getValue() : Long.MAX_VALUE;
        return new FaultConfig(delay, abort, max);
    }
}
