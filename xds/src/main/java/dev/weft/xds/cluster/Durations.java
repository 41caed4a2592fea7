package dev.weft.xds.cluster;

import com.google.protobuf.Duration;

/** java.time to protobuf durations. */
public final class Durations {

    private Durations() {
    }

    public static Duration of(java.time.Duration duration) {
        return Duration.newBuilder().setSeconds(duration.getSeconds()).setNanos(duration.getNano()).build();
    }

    public static Duration seconds(long seconds) {
        return Duration.newBuilder().setSeconds(seconds).build();
    }
}
