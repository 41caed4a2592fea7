package dev.weft.proxy.filter;

import io.envoyproxy.envoy.type.v3.FractionalPercent;

/** Envoy fractional percentages as "numerator out of denominator" for a cheap per-request draw. */
public final class Percentages {

    private Percentages() {
    }

    public static int denominator(FractionalPercent p) {
        return switch (p.getDenominator()) {
            case TEN_THOUSAND -> 10_000;
            case MILLION -> 1_000_000;
            default -> 100;
        };
    }
}
