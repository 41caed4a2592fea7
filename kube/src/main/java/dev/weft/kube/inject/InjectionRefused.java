package dev.weft.kube.inject;

/** A pod that cannot be injected as it asks (an invalid annotation, a feature weft-proxy lacks): the reason. */
public final class InjectionRefused extends RuntimeException {

    public InjectionRefused(String message) {
        super(message);
    }
}
