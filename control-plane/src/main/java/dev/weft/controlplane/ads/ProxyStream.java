package dev.weft.controlplane.ads;

import dev.weft.controlplane.push.PushRequest;
import dev.weft.xds.mesh.ProxyNode;
import io.envoyproxy.envoy.config.core.v3.Node;

/** One open ADS stream, state of the world or delta. */
interface ProxyStream {

    /** Null until the first request named the node. */
    ProxyNode proxy();

    /** The Envoy node of the first request (without its proxy token); null until then. */
    Node node();

    /** Asks for the pushed types to be sent; returns at once, the stream writes when it can. */
    void push(PushRequest request, long version);

    ProxyStatus status();
}
