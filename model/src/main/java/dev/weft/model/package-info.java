/**
 * The Istio configuration model: typed, immutable documents for every Istio kind (and the Kubernetes
 * kinds the mesh reads), with the file and line of every field.
 *
 * <p>Load with {@link dev.weft.model.load.ConfigLoader} (files, directories or strings); it binds,
 * normalises (short hosts to FQDNs) and validates every document and never throws for bad input. The
 * {@link dev.weft.model.load.LoadResult} holds the {@link dev.weft.model.Resource}s, the accepted ones
 * (no {@link dev.weft.model.Severity#ERROR}), every {@link dev.weft.model.ConfigError}, and an indexed
 * {@link dev.weft.model.ConfigSnapshot}. Bodies are records in {@code networking}, {@code security},
 * {@code telemetry} and {@code kube}: absent strings are empty, absent lists and maps are empty, absent
 * messages and wrapper values are null, absent enums take the proto zero value (first constant), and
 * oneof members marked {@link dev.weft.model.NullWhenAbsent} are null.
 */
package dev.weft.model;
