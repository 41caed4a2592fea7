package dev.weft.model.networking;

import dev.weft.model.NullWhenAbsent;

/** Direct response body: a oneof, the unset member is null. */
public record HTTPBody(
    @NullWhenAbsent String string,
    @NullWhenAbsent String bytes) {}
