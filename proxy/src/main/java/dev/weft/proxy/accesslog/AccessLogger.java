package dev.weft.proxy.accesslog;

/** One configured access log: which requests it logs, its compiled format and where its lines go. */
public record AccessLogger(LogFilter filter, LogFormat format, AccessLogSink sink) {

    /**
     * When the filter admits the request, formats the line on the caller's thread (an event loop) and offers it to
     * the sink, which never blocks.
     */
    public void log(AccessLogContext context) {
        if (filter.test(context)) {
            sink.write(format.format(context));
        }
    }
}
