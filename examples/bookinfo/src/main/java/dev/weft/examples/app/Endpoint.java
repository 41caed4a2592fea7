package dev.weft.examples.app;

/** Answers the requests of one route. It returns a response for every input, bad input included. */
@FunctionalInterface
public interface Endpoint {
    Response handle(Request request);
}
