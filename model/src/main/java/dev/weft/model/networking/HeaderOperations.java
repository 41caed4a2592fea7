package dev.weft.model.networking;

import java.util.List;
import java.util.Map;

/** Set (overwrite), add (append) and remove operations on one header map. */
public record HeaderOperations(
    Map<String, String> set,
    Map<String, String> add,
    List<String> remove) {}
