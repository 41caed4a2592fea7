package dev.weft.model.networking;

import java.time.Duration;
import java.util.List;

/** One ordered HTTP rule: the first rule whose match applies wins. */
public record HTTPRoute(
    String name,
    List<HTTPMatchRequest> match,
    List<HTTPRouteDestination> route,
    HTTPRedirect redirect,
    HTTPDirectResponse directResponse,
    Delegate delegate,
    HTTPRewrite rewrite,
    Duration timeout,
    HTTPRetry retries,
    HTTPFaultInjection fault,
    Destination mirror,
    List<HTTPMirrorPolicy> mirrors,
    Integer mirrorPercent,
    Percent mirrorPercentage,
    CorsPolicy corsPolicy,
    Headers headers) {}
