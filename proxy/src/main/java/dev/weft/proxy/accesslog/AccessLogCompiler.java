package dev.weft.proxy.accesslog;

import com.google.protobuf.Any;
import com.google.protobuf.InvalidProtocolBufferException;
import dev.weft.proxy.config.ConfigException;
import io.envoyproxy.envoy.config.accesslog.v3.AccessLog;
import io.envoyproxy.envoy.extensions.access_loggers.file.v3.FileAccessLog;
import io.envoyproxy.envoy.extensions.access_loggers.stream.v3.StderrAccessLog;
import io.envoyproxy.envoy.extensions.access_loggers.stream.v3.StdoutAccessLog;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * Compiles {@code access_log} entries (of an HTTP connection manager or a tcp_proxy) into sinks. Sinks come from
 * {@code fileSinks} by path ({@code /dev/stdout} and {@code /dev/stderr} for the stream loggers), so every logger
 * of one path shares one output.
 */
public final class AccessLogCompiler {

    private final Function<String, AccessLogSink> fileSinks;

    public AccessLogCompiler(Function<String, AccessLogSink> fileSinks) {
        this.fileSinks = fileSinks;
    }

    public List<AccessLogSink> compile(List<AccessLog> logs) {
        List<AccessLogSink> sinks = new ArrayList<>();
        for (AccessLog log : logs) {
            Any any = log.getTypedConfig();
            try {
                if (any.is(FileAccessLog.class)) {
                    String path = any.unpack(FileAccessLog.class).getPath();
                    if (path.isEmpty()) {
                        throw new ConfigException("file access log needs a path");
                    }
                    sinks.add(fileSinks.apply(Path.of(path).toString()));
                } else if (any.is(StdoutAccessLog.class)) {
                    sinks.add(fileSinks.apply("/dev/stdout"));
                } else if (any.is(StderrAccessLog.class)) {
                    sinks.add(fileSinks.apply("/dev/stderr"));
                } else {
                    throw new ConfigException("unsupported access log type " + any.getTypeUrl());
                }
            } catch (InvalidProtocolBufferException e) {
                throw new ConfigException("access log config does not parse: " + e.getMessage());
            }
        }
        return List.copyOf(sinks);
    }
}
