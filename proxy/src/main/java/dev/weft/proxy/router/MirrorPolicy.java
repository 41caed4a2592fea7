package dev.weft.proxy.router;

/** Send a copy of matching requests to another cluster, for {@code numerator / denominator} of them. */
public record MirrorPolicy(String cluster, int numerator, int denominator) {
}
