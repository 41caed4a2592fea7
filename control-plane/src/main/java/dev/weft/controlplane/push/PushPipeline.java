package dev.weft.controlplane.push;

import dev.weft.controlplane.ads.AdsServer;
import dev.weft.controlplane.ads.ResourceGenerator;
import dev.weft.controlplane.ads.XdsType;
import dev.weft.controlplane.config.ConfigStore;
import dev.weft.controlplane.config.CredentialSource;
import dev.weft.controlplane.registry.ServiceRegistry;
import dev.weft.model.ConfigSnapshot;
import dev.weft.xds.mesh.RegistrySnapshot;
import dev.weft.xds.authn.JwksResolver;
import dev.weft.xds.push.MeshSettings;
import dev.weft.xds.push.PushContext;
import dev.weft.xds.scope.ScopeRules;
import dev.weft.xds.secret.Credentials;
import java.time.Clock;
import java.time.Duration;
import java.util.Objects;
import java.util.EnumSet;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.logging.Logger;

/**
 * Change events in, pushes out: config changes ask for a full push, endpoint changes for an EDS-only one;
 * after debouncing, one immutable PushContext is built and swapped in with its {@link ScopedResources}, then the
 * ADS server pushes.
 */
public final class PushPipeline implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(PushPipeline.class.getName());
    /** istiod's push trigger names: what changed, as {@code pilot_push_triggers} counts it. */
    private static final String CONFIG_TRIGGER = "config";
    private static final String ENDPOINT_TRIGGER = "endpoint";
    private static final String SECRET_TRIGGER = "secret";
    /** The mesh config; istiod pushes its changes as a global update. */
    private static final String GLOBAL_TRIGGER = "global";
    /** New JWT keys; istiod's JWKS resolver pushes them with an unknown trigger. */
    private static final String UNKNOWN_TRIGGER = "unknown";

    private final ConfigStore config;
    private final ServiceRegistry registry;
    /** The mesh settings the next push reads; replaced by {@link #meshChanged}. */
    private final AtomicReference<MeshSettings> mesh;
    private final JwksResolver jwks;
    private final CredentialSource credentials;
    /** Counts key set changes the resolver reported, so a push knows listeners need them even if config did not change. */
    private final AtomicLong jwksVersion = new AtomicLong();
    private final AtomicReference<ScopedResources> current;
    private final DebouncedPusher pusher;
    private final Clock clock;
    /** What the current push was built from; read and replaced on the push thread only. */
    private Inputs inputs;
    private AdsServer ads;

    private record Inputs(ConfigSnapshot config, RegistrySnapshot registry, long jwksVersion, MeshSettings mesh,
            Credentials credentials) {
    }

    public PushPipeline(ConfigStore config, ServiceRegistry registry, MeshSettings mesh,
            Duration quietPeriod, Duration maxDelay, Clock clock) {
        this(config, registry, mesh, JwksResolver.UNRESOLVED, quietPeriod, maxDelay, clock);
    }

    /** @param jwks the key sets of JWT rules that name theirs by URI; call {@link #jwksChanged()} when they change */
    public PushPipeline(ConfigStore config, ServiceRegistry registry, MeshSettings mesh, JwksResolver jwks,
            Duration quietPeriod, Duration maxDelay, Clock clock) {
        this(config, registry, mesh, jwks, CredentialSource.NONE, quietPeriod, maxDelay, clock);
    }

    /** @param credentials what {@code credentialName} fields name; a change pushes the secrets again */
    public PushPipeline(ConfigStore config, ServiceRegistry registry, MeshSettings mesh, JwksResolver jwks,
            CredentialSource credentials, Duration quietPeriod, Duration maxDelay, Clock clock) {
        this.credentials = Objects.requireNonNull(credentials, "credentials");
        this.config = Objects.requireNonNull(config, "config");
        this.registry = Objects.requireNonNull(registry, "registry");
        this.mesh = new AtomicReference<>(Objects.requireNonNull(mesh, "mesh"));
        this.jwks = Objects.requireNonNull(jwks, "jwks");
        this.inputs = read();
        this.current = new AtomicReference<>(ScopedResources.first(context(inputs), ScopeRules.of(inputs.config())));
        this.clock = Objects.requireNonNull(clock, "clock");
        this.pusher = new DebouncedPusher(quietPeriod, maxDelay, clock, this::push);
        config.addListener(() -> pusher.request(PushRequest.full(CONFIG_TRIGGER, clock.instant())));
        registry.addEndpointListener(
                () -> pusher.request(PushRequest.endpointsOnly(ENDPOINT_TRIGGER, clock.instant())));
        credentials.addListener(() -> pusher.request(PushRequest.full(SECRET_TRIGGER, clock.instant())));
    }

    /** The server to push to; set once, before any change can arrive. */
    public void pushTo(AdsServer server) {
        this.ads = server;
    }

    /** Whether no change is waiting for or in a push, so what the streams were last handed is the current config. */
    public boolean settled() {
        return pusher.idle();
    }

    public PushContext current() {
        return current.get().push();
    }

    /** Resources from the current push, generated once per proxy scope. */
    public ResourceGenerator generator() {
        return (proxy, scope, type) -> current.get().generate(proxy, scope, type);
    }

    /** The resolver got new keys: listeners with jwt_authn filters are generated and pushed again. */
    public void jwksChanged() {
        jwksVersion.incrementAndGet();
        pusher.request(PushRequest.full(UNKNOWN_TRIGGER, clock.instant()));
    }

    /** The mesh config changed (weftd's {@code --mesh-config} file): every type is generated and pushed again. */
    public void meshChanged(MeshSettings settings) {
        mesh.set(Objects.requireNonNull(settings, "settings"));
        pusher.request(PushRequest.full(GLOBAL_TRIGGER, clock.instant()));
    }

    /** Reads the config once, so services and routing rules in one push come from the same snapshot. */
    private Inputs read() {
        ConfigSnapshot snapshot = config.snapshot();
        return new Inputs(snapshot, registry.snapshot(snapshot), jwksVersion.get(), mesh.get(),
                credentials.credentials());
    }

    private PushContext context(Inputs from) {
        return new PushContext(from.config(), from.registry(), from.mesh(), jwks, from.credentials());
    }

    /** Pushes only the types the change can affect; a change that affects none (the same config again) sends nothing. */
    private void push(PushRequest request) {
        Inputs next = read();
        Set<XdsType> affected = EnumSet.noneOf(XdsType.class);
        affected.addAll(ChangedTypes.between(inputs.config(), inputs.registry(), next.config(), next.registry()));
        if (next.jwksVersion() != inputs.jwksVersion()) {
            affected.add(XdsType.LISTENER);
        }
        if (!next.mesh().equals(inputs.mesh())) {
            affected.addAll(EnumSet.allOf(XdsType.class));
        }
        if (!next.credentials().equals(inputs.credentials())) {
            affected.add(XdsType.SECRET);
        }
        PushRequest limited = request.limitedTo(affected);
        LOG.fine(() -> "push " + limited.types() + " for " + limited.reasons());
        if (limited.types().isEmpty()) {
            return;
        }
        inputs = next;
        current.set(current.get().next(context(next), ScopeRules.of(next.config())));
        if (ads != null) {
            ads.push(limited);
        }
    }

    @Override
    public void close() {
        pusher.close();
    }
}
