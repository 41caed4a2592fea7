package dev.weft.model.kube;

import java.util.Map;

/** Secret (core/v1): type and base64 data; the mesh uses the data keys. */
public record Secret(
    String type,
    Map<String, String> data,
    Map<String, String> stringData) {}
