package dev.weft.xds.authz;

/**
 * A rule value Envoy's RBAC cannot check here: an HTTP attribute on a TCP chain, or a malformed address, port or
 * key. An ALLOW rule holding one is dropped (it allows less); DENY, AUDIT and CUSTOM rules skip the value (they
 * match more), as Istio does.
 */
final class Inexpressible extends Exception {

    Inexpressible(String message) {
        super(message, null, false, false);
    }
}
