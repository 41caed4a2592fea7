package dev.weft.model.networking;

import dev.weft.model.NullWhenAbsent;

/** String matcher: a oneof of exact, prefix and regex, the unset members are null. */
public record StringMatch(
    @NullWhenAbsent String exact,
    @NullWhenAbsent String prefix,
    @NullWhenAbsent String regex) {}
