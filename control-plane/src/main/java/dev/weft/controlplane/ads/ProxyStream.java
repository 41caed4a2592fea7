package dev.weft.controlplane.ads;

import dev.weft.controlplane.push.PushRequest;
import dev.weft.xds.mesh.ProxyNode;

/** One open ADS stream, state of the world or delta. */
interface ProxyStream {

    /** Null until the first request named the node. */
    ProxyNode proxy();

    void push(PushRequest request, String version);

    ProxyStatus status();
}
