package dev.weft.proxy.config;

import java.time.Duration;

/** Conversion from protobuf durations. */
public final class Durations {

    private Durations() {
    }

    public static Duration of(com.google.protobuf.Duration d) {
        return Duration.ofSeconds(d.getSeconds(), d.getNanos());
    }
}
