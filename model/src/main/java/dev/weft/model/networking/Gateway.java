package dev.weft.model.networking;

import java.util.List;
import java.util.Map;

/** Gateway spec: servers exposed by the selected gateway workloads. */
public record Gateway(
    List<Server> servers,
    Map<String, String> selector) {}
