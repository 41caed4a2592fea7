package dev.weft.proxy.accesslog;

import com.google.protobuf.InvalidProtocolBufferException;
import dev.weft.proxy.config.ConfigException;
import dev.weft.proxy.config.MessageType;
import dev.weft.proxy.streaminfo.ResponseFlag;
import io.envoyproxy.envoy.config.accesslog.v3.AccessLogFilter;
import io.envoyproxy.envoy.config.accesslog.v3.ComparisonFilter;
import io.envoyproxy.envoy.config.accesslog.v3.ExtensionFilter;
import io.envoyproxy.envoy.extensions.access_loggers.filters.cel.v3.ExpressionFilter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.function.ToLongFunction;

/**
 * Compiles an access log's {@code filter} (Envoy's {@code AccessLogFilter}): {@code status_code_filter},
 * {@code duration_filter} (milliseconds), {@code response_flag_filter} (any flag, or any of those named),
 * {@code not_health_check_filter} (weft has no health check filter, so every request passes), {@code and_filter},
 * {@code or_filter}, and the CEL {@code extension_filter} Istio sends for a Telemetry filter expression
 * ({@link CelExpression}). Comparisons use the {@code default_value}; the runtime key is not read. Other filters
 * are config errors, as a filter that is silently skipped would log what the operator asked to leave out.
 */
final class LogFilters {

    private static final MessageType<ExpressionFilter> EXPRESSION_FILTER_TYPE = MessageType.of(
            ExpressionFilter.getDescriptor(), ExpressionFilter.parser());

    private static final String CEL_TYPE = "type.googleapis.com/" + ExpressionFilter.getDescriptor().getFullName();
    /** Envoy's response flag names (its access log validation), of which weft sets those in {@link ResponseFlag}. */
    private static final Set<String> ENVOY_FLAGS = Set.of("LH", "UH", "UT", "LR", "UR", "UF", "UC", "UO", "NR", "DI",
            "FI", "RL", "UAEX", "RLSE", "DC", "URX", "SI", "IH", "DPE", "UMSDR", "RFCF", "NFCF", "DT", "UPE", "NC", "OM",
            "DF", "DO", "DR");

    private LogFilters() {
    }

    /** The filter; a {@link ConfigException} says which part is wrong, prefixed {@code access log filter: }. */
    static LogFilter compile(AccessLogFilter filter) {
        try {
            return filter(filter);
        } catch (ConfigException e) {
            throw new ConfigException("access log filter: " + e.getMessage());
        }
    }

    private static LogFilter filter(AccessLogFilter filter) {
        return switch (filter.getFilterSpecifierCase()) {
            case STATUS_CODE_FILTER -> comparison("status_code_filter", filter.getStatusCodeFilter().getComparison(),
                    AccessLogContext::responseCode);
            case DURATION_FILTER -> comparison("duration_filter", filter.getDurationFilter().getComparison(),
                    c -> c.durationNanos() / 1_000_000);
            case NOT_HEALTH_CHECK_FILTER -> LogFilter.ALL;
            case RESPONSE_FLAG_FILTER -> responseFlags(filter.getResponseFlagFilter().getFlagsList());
            case AND_FILTER -> all(list("and_filter", filter.getAndFilter().getFiltersList()));
            case OR_FILTER -> any(list("or_filter", filter.getOrFilter().getFiltersList()));
            case EXTENSION_FILTER -> extension(filter.getExtensionFilter());
            case FILTERSPECIFIER_NOT_SET -> throw new ConfigException("no filter is set");
            default -> throw new ConfigException(filter.getFilterSpecifierCase().name().toLowerCase(Locale.ROOT)
                    + " is not supported");
        };
    }

    private static LogFilter comparison(String name, ComparisonFilter comparison, ToLongFunction<AccessLogContext> of) {
        long value = comparison.getValue().getDefaultValue();
        return switch (comparison.getOp()) {
            case EQ -> c -> of.applyAsLong(c) == value;
            case GE -> c -> of.applyAsLong(c) >= value;
            case LE -> c -> of.applyAsLong(c) <= value;
            default -> throw new ConfigException(name + ": unknown comparison op " + comparison.getOpValue());
        };
    }

    private static LogFilter responseFlags(List<String> names) {
        int bits = 0;
        for (String name : names) {
            if (!ENVOY_FLAGS.contains(name)) {
                throw new ConfigException("response_flag_filter: unknown response flag " + name);
            }
            for (ResponseFlag flag : ResponseFlag.values()) {
                if (flag.code().equals(name)) {
                    bits |= flag.bit();
                }
            }
        }
        if (names.isEmpty()) {
            return c -> c.responseFlags() != 0;
        }
        int wanted = bits;
        return c -> (c.responseFlags() & wanted) != 0;
    }

    private static List<LogFilter> list(String name, List<AccessLogFilter> filters) {
        if (filters.size() < 2) {
            throw new ConfigException(name + " needs at least 2 filters, found " + filters.size());
        }
        List<LogFilter> compiled = new ArrayList<>();
        filters.forEach(f -> compiled.add(filter(f)));
        return List.copyOf(compiled);
    }

    private static LogFilter all(List<LogFilter> filters) {
        return c -> filters.stream().allMatch(f -> f.test(c));
    }

    private static LogFilter any(List<LogFilter> filters) {
        return c -> filters.stream().anyMatch(f -> f.test(c));
    }

    private static LogFilter extension(ExtensionFilter extension) {
        if (!extension.getTypedConfig().getTypeUrl().equals(CEL_TYPE)) {
            throw new ConfigException("extension filter " + extension.getName() + " of type "
                    + extension.getTypedConfig().getTypeUrl() + " is not supported");
        }
        try {
            return CelExpression.parse(EXPRESSION_FILTER_TYPE.unpack(extension.getTypedConfig()).getExpression());
        } catch (InvalidProtocolBufferException e) {
            throw new ConfigException("CEL filter does not parse: " + e.getMessage());
        }
    }
}
