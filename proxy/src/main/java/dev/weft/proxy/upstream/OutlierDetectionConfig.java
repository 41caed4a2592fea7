package dev.weft.proxy.upstream;

import java.time.Duration;

/** Passive health checking: eject a host after consecutive failures, for base time x times ejected. */
public record OutlierDetectionConfig(int consecutive5xx, int consecutiveGatewayFailure, Duration interval,
        Duration baseEjectionTime, int maxEjectionPercent, Duration maxEjectionTime) {
}
