package dev.weft.proxy.accesslog;

/** A text {@code log_format}: one compiled format string, which carries its own line end. */
final class TextLogFormat implements LogFormat {

    /** Envoy's default when a logger has no {@code log_format}. */
    static final String ENVOY_DEFAULT = "[%START_TIME%] \"%REQ(:METHOD)% %REQ(X-ENVOY-ORIGINAL-PATH?:PATH)% "
            + "%PROTOCOL%\" %RESPONSE_CODE% %RESPONSE_FLAGS% %BYTES_RECEIVED% %BYTES_SENT% %DURATION% "
            + "%RESP(X-ENVOY-UPSTREAM-SERVICE-TIME)% \"%REQ(X-FORWARDED-FOR)%\" \"%REQ(USER-AGENT)%\" "
            + "\"%REQ(X-REQUEST-ID)%\" \"%REQ(:AUTHORITY)%\" \"%UPSTREAM_HOST%\"\n";

    private final FormatString format;
    private final boolean omitEmpty;

    TextLogFormat(String format, boolean omitEmpty) {
        this.format = FormatString.parse(format);
        this.omitEmpty = omitEmpty;
    }

    @Override
    public String format(AccessLogContext context) {
        StringBuilder out = new StringBuilder(256);
        format.appendText(out, context, omitEmpty);
        return out.toString();
    }
}
