package dev.weft.proxy.upstream.lb;

import dev.weft.proxy.upstream.Host;

/** Picks a host among one priority level's hosts. Instances belong to one event loop and are not thread-safe. */
public interface LoadBalancer {

    /** A host, never null for a non-empty host list; {@code hash} is null when the request has none. */
    Host choose(Long hash);
}
