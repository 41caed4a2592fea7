package dev.weft.proxy.accesslog;

import com.google.protobuf.Any;
import com.google.protobuf.InvalidProtocolBufferException;
import dev.weft.proxy.config.ConfigException;
import dev.weft.proxy.config.MessageType;
import io.envoyproxy.envoy.config.accesslog.v3.AccessLog;
import io.envoyproxy.envoy.config.core.v3.DataSource;
import io.envoyproxy.envoy.config.core.v3.SubstitutionFormatString;
import io.envoyproxy.envoy.extensions.access_loggers.file.v3.FileAccessLog;
import io.envoyproxy.envoy.extensions.access_loggers.stream.v3.StderrAccessLog;
import io.envoyproxy.envoy.extensions.access_loggers.stream.v3.StdoutAccessLog;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * Compiles {@code access_log} entries (of an HTTP connection manager or a tcp_proxy) into loggers: a
 * {@code filter} ({@link LogFilters}) and a format parsed once (Envoy's default line without one; {@code log_format} text or JSON, or the deprecated {@code format} and
 * {@code json_format}) and a sink. Sinks come from {@code fileSinks} by path ({@code /dev/stdout} and
 * {@code /dev/stderr} for the stream loggers), so every logger of one path shares one output.
 */
public final class AccessLogCompiler {

    private static final MessageType<FileAccessLog> FILE_ACCESS_LOG_TYPE = MessageType.of(
            FileAccessLog.getDescriptor(), FileAccessLog.parser());
    private static final MessageType<StdoutAccessLog> STDOUT_ACCESS_LOG_TYPE = MessageType.of(
            StdoutAccessLog.getDescriptor(), StdoutAccessLog.parser());
    private static final MessageType<StderrAccessLog> STDERR_ACCESS_LOG_TYPE = MessageType.of(
            StderrAccessLog.getDescriptor(), StderrAccessLog.parser());

    private final Function<String, AccessLogSink> fileSinks;

    public AccessLogCompiler(Function<String, AccessLogSink> fileSinks) {
        this.fileSinks = fileSinks;
    }

    public List<AccessLogger> compile(List<AccessLog> logs) {
        List<AccessLogger> loggers = new ArrayList<>();
        for (AccessLog log : logs) {
            Any any = log.getTypedConfig();
            LogFilter filter = log.hasFilter() ? LogFilters.compile(log.getFilter()) : LogFilter.ALL;
            try {
                if (FILE_ACCESS_LOG_TYPE.isIn(any)) {
                    loggers.add(file(filter, FILE_ACCESS_LOG_TYPE.unpack(any)));
                } else if (STDOUT_ACCESS_LOG_TYPE.isIn(any)) {
                    StdoutAccessLog stdout = STDOUT_ACCESS_LOG_TYPE.unpack(any);
                    loggers.add(new AccessLogger(filter, format(stdout.hasLogFormat() ? stdout.getLogFormat() : null),
                            fileSinks.apply("/dev/stdout")));
                } else if (STDERR_ACCESS_LOG_TYPE.isIn(any)) {
                    StderrAccessLog stderr = STDERR_ACCESS_LOG_TYPE.unpack(any);
                    loggers.add(new AccessLogger(filter, format(stderr.hasLogFormat() ? stderr.getLogFormat() : null),
                            fileSinks.apply("/dev/stderr")));
                } else {
                    throw new ConfigException("unsupported access log type " + any.getTypeUrl());
                }
            } catch (InvalidProtocolBufferException e) {
                throw new ConfigException("access log config does not parse: " + e.getMessage());
            }
        }
        return List.copyOf(loggers);
    }

    private AccessLogger file(LogFilter filter, FileAccessLog file) {
        if (file.getPath().isEmpty()) {
            throw new ConfigException("file access log needs a path");
        }
        LogFormat format = switch (file.getAccessLogFormatCase()) {
            case FORMAT -> new TextLogFormat(file.getFormat(), false);
            case JSON_FORMAT -> new JsonLogFormat(file.getJsonFormat(), false);
            case TYPED_JSON_FORMAT -> new JsonLogFormat(file.getTypedJsonFormat(), false);
            case LOG_FORMAT -> format(file.getLogFormat());
            case ACCESSLOGFORMAT_NOT_SET -> format(null);
        };
        return new AccessLogger(filter, format, fileSinks.apply(Path.of(file.getPath()).toString()));
    }

    /** A {@code SubstitutionFormatString}, or Envoy's default text line when there is none. */
    static LogFormat format(SubstitutionFormatString f) {
        if (f == null) {
            return new TextLogFormat(TextLogFormat.ENVOY_DEFAULT, false);
        }
        if (f.getFormattersCount() > 0) {
            throw new ConfigException("access log formatter extension " + f.getFormatters(0).getName()
                    + " is not supported");
        }
        boolean omitEmpty = f.getOmitEmptyValues();
        return switch (f.getFormatCase()) {
            case TEXT_FORMAT -> new TextLogFormat(f.getTextFormat(), omitEmpty);
            case TEXT_FORMAT_SOURCE -> new TextLogFormat(text(f.getTextFormatSource()), omitEmpty);
            case JSON_FORMAT -> new JsonLogFormat(f.getJsonFormat(), omitEmpty);
            case FORMAT_NOT_SET -> new TextLogFormat(TextLogFormat.ENVOY_DEFAULT, omitEmpty);
        };
    }

    private static String text(DataSource source) {
        return switch (source.getSpecifierCase()) {
            case INLINE_STRING -> source.getInlineString();
            case INLINE_BYTES -> source.getInlineBytes().toString(StandardCharsets.UTF_8);
            case FILENAME -> {
                try {
                    yield Files.readString(Path.of(source.getFilename()));
                } catch (IOException e) {
                    throw new ConfigException("access log format file " + source.getFilename()
                            + " cannot be read: " + e.getMessage());
                }
            }
            default -> throw new ConfigException("access log text_format_source needs inline_string, inline_bytes "
                    + "or filename");
        };
    }
}
