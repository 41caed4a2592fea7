package dev.weft.proxy.filter;

/** What a filter tells the chain after seeing the request headers. */
public enum FilterStatus {
    /** Go on to the next filter. */
    CONTINUE,
    /** Stop here: the filter answered locally, or it will call {@code exchange.resume()} later. */
    STOP
}
