package dev.weft.controlplane.push;

import dev.weft.controlplane.ads.AdsServer;
import dev.weft.controlplane.ads.ResourceGenerator;
import dev.weft.controlplane.config.ConfigStore;
import dev.weft.controlplane.registry.ServiceRegistry;
import dev.weft.model.ConfigSnapshot;
import dev.weft.xds.push.MeshSettings;
import dev.weft.xds.push.PushContext;
import java.time.Clock;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicReference;
import java.util.logging.Logger;

/**
 * Change events in, pushes out: config changes ask for a full push, endpoint changes for an EDS-only one;
 * after debouncing, one immutable PushContext is built and swapped in with its {@link ScopedResources}, then the
 * ADS server pushes.
 */
public final class PushPipeline implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(PushPipeline.class.getName());

    private final ConfigStore config;
    private final ServiceRegistry registry;
    private final MeshSettings mesh;
    private final AtomicReference<ScopedResources> current;
    private final DebouncedPusher pusher;
    private AdsServer ads;

    public PushPipeline(ConfigStore config, ServiceRegistry registry, MeshSettings mesh,
            Duration quietPeriod, Duration maxDelay, Clock clock) {
        this.config = Objects.requireNonNull(config, "config");
        this.registry = Objects.requireNonNull(registry, "registry");
        this.mesh = Objects.requireNonNull(mesh, "mesh");
        this.current = new AtomicReference<>(ScopedResources.first(build()));
        this.pusher = new DebouncedPusher(quietPeriod, maxDelay, clock, this::push);
        config.addListener(() -> pusher.request(PushRequest.full("config")));
        registry.addEndpointListener(() -> pusher.request(PushRequest.endpointsOnly("endpoints")));
    }

    /** The server to push to; set once, before any change can arrive. */
    public void pushTo(AdsServer server) {
        this.ads = server;
    }

    public PushContext current() {
        return current.get().push();
    }

    /** Resources from the current push, generated once per proxy scope. */
    public ResourceGenerator generator() {
        return (proxy, scope, type) -> current.get().generate(proxy, scope, type);
    }

    /** Reads the config once, so services and routing rules in one push come from the same snapshot. */
    private PushContext build() {
        ConfigSnapshot snapshot = config.snapshot();
        return new PushContext(snapshot, registry.snapshot(snapshot), mesh);
    }

    private void push(PushRequest request) {
        current.set(current.get().next(build()));
        LOG.fine(() -> "push " + (request.full() ? "full" : "eds") + " for " + request.reasons());
        if (ads != null) {
            ads.push(request);
        }
    }

    @Override
    public void close() {
        pusher.close();
    }
}
