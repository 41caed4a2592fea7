package dev.weft.proxy.accesslog;

/**
 * A CEL evaluation error as a value (a missing attribute, a comparison of a string with an int, a division by zero):
 * it flows through the expression as CEL's errors do ({@code true || error} is still true) and a filter whose result
 * is an error does not log, as Envoy's.
 */
record CelError(String message) {
}
