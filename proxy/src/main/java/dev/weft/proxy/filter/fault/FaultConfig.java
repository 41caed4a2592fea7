package dev.weft.proxy.filter.fault;

import java.time.Duration;

/**
 * A validated fault filter config. A null delay or abort means that fault is not configured. Percentages are
 * "numerator out of denominator". Header-controlled faults take their value from the request.
 */
record FaultConfig(Delay delay, Abort abort, long maxActiveFaults) {

    record Delay(Duration fixed, boolean fromHeader, int numerator, int denominator) {
    }

    record Abort(int httpStatus, int grpcStatus, boolean fromHeader, int numerator, int denominator) {
    }
}
