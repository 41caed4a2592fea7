package dev.weft.bench;

/** Where a system under test takes each scenario's traffic, on 127.0.0.1. */
record Endpoints(int http1, int http2, int tcp, int grpc) {

    static Endpoints fresh() {
        return new Endpoints(LoopbackPorts.free(), LoopbackPorts.free(), LoopbackPorts.free(), LoopbackPorts.free());
    }
}
