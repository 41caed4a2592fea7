package dev.weft.model.kube;

import dev.weft.model.ObjectMeta;

/** Pod template of a Deployment. */
public record PodTemplateSpec(
    ObjectMeta metadata,
    PodSpec spec) {}
