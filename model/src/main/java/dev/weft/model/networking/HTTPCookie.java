package dev.weft.model.networking;

import java.time.Duration;
import java.util.List;

/** Cookie used as hash key; generated when absent if ttl is set. */
public record HTTPCookie(
    String name,
    String path,
    Duration ttl,
    List<CookieAttribute> attributes) {}
