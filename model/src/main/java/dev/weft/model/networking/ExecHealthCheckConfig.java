package dev.weft.model.networking;

import java.util.List;

/** Command readiness check. */
public record ExecHealthCheckConfig(
    List<String> command) {}
