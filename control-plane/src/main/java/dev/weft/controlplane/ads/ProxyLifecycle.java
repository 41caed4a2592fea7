package dev.weft.controlplane.ads;

import dev.weft.xds.mesh.ProxyNode;

/** Told when a proxy's ADS stream opens and closes, e.g. to auto-register its workload. */
public interface ProxyLifecycle {

    ProxyLifecycle NONE = new ProxyLifecycle() {
        @Override
        public void connected(ProxyNode proxy) {
        }

        @Override
        public void disconnected(ProxyNode proxy) {
        }
    };

    void connected(ProxyNode proxy);

    void disconnected(ProxyNode proxy);
}
