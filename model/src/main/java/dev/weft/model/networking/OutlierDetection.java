package dev.weft.model.networking;

import java.time.Duration;
import java.util.List;

/** Outlier detection: ejects individual hosts after consecutive errors. */
public record OutlierDetection(
    boolean splitExternalLocalOriginErrors,
    Integer consecutiveLocalOriginFailures,
    Integer consecutiveGatewayErrors,
    Integer consecutive5xxErrors,
    Duration interval,
    Duration baseEjectionTime,
    int maxEjectionPercent,
    int minHealthPercent,
    int consecutiveErrors,
    List<Integer> outlierDetectionHttpErrorCodes) {}
