package dev.weft.proxy.accesslog;

/** One configured access log: its compiled format and where its lines go. */
public record AccessLogger(LogFormat format, AccessLogSink sink) {

    /** Formats the line on the caller's thread (an event loop) and offers it to the sink, which never blocks. */
    public void log(AccessLogContext context) {
        sink.write(format.format(context));
    }
}
