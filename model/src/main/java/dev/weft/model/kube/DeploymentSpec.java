package dev.weft.model.kube;

/** Deployment spec (apps/v1). */
public record DeploymentSpec(
    Integer replicas,
    LabelSelector selector,
    PodTemplateSpec template) {}
