package dev.weft.model.networking;

import dev.weft.model.NullWhenAbsent;

/** HTTP redirect; port and derivePort are a oneof, derivePort is null when unset; prefixRewrite replaces only the matched prefix. */
public record HTTPRedirect(
    String uri,
    String authority,
    int port,
    @NullWhenAbsent RedirectPortSelection derivePort,
    String scheme,
    int redirectCode,
    String prefixRewrite) {}
