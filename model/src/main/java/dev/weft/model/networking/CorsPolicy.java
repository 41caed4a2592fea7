package dev.weft.model.networking;

import java.time.Duration;
import java.util.List;

/** Cross-origin resource sharing policy. */
public record CorsPolicy(
    List<String> allowOrigin,
    List<StringMatch> allowOrigins,
    List<String> allowMethods,
    List<String> allowHeaders,
    List<String> exposeHeaders,
    Duration maxAge,
    Boolean allowCredentials,
    UnmatchedPreflights unmatchedPreflights) {}
