package dev.weft.controlplane.push;

import com.google.protobuf.Any;
import com.google.protobuf.Message;
import dev.weft.controlplane.ads.PackedResources;
import dev.weft.controlplane.ads.ResourceGenerator;
import dev.weft.controlplane.ads.XdsType;
import dev.weft.xds.XdsResources;
import dev.weft.xds.mesh.ProxyNode;
import dev.weft.xds.push.PushContext;
import dev.weft.xds.scope.ProxyScope;
import dev.weft.xds.scope.ScopeRules;
import io.envoyproxy.envoy.config.core.v3.Node;
import java.util.Objects;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * The xds module's generators over one PushContext, run once per proxy scope and type: the first proxy of a scope
 * pays for generation and serialization, every other proxy of that scope gets the same packed resources. Routes
 * and endpoints use the wider routing scope ({@link ScopeRules}), so one generation often serves a namespace. A new
 * instance comes with every push; it keeps the instances of resources unchanged since the previous push.
 */
public final class ScopedResources implements ResourceGenerator {

    private record Key(ProxyScope scope, XdsType type) {
    }

    private record Scopes(ProxyScope proxy, ProxyScope routing) {
    }

    /** Generates at most once; callers of the same key wait for the first, callers of other keys do not. */
    private static final class Once {
        private PackedResources value;

        synchronized PackedResources get(Supplier<PackedResources> generate) {
            if (value == null) {
                value = generate.get();
            }
            return value;
        }

        synchronized PackedResources peek() {
            return value;
        }
    }

    private final PushContext push;
    private final ScopeRules rules;
    private final ConcurrentHashMap<Key, Once> generated = new ConcurrentHashMap<>();
    /**
     * Each stream's scopes, worked out once per push: a stream passes the same node instance every time, whose
     * hash protobuf keeps, so the lookup is cheap where rebuilding the scope on every write was not.
     */
    private final ConcurrentHashMap<Node, Scopes> scopes = new ConcurrentHashMap<>();
    /** Read for reuse only; cut when this instance is itself replaced, so pushes never chain. */
    private volatile ScopedResources previous;

    private ScopedResources(PushContext push, ScopeRules rules, ScopedResources previous) {
        this.push = Objects.requireNonNull(push, "push");
        this.rules = Objects.requireNonNull(rules, "rules");
        this.previous = previous;
    }

    /** {@code rules} must come from the config {@code push} was built from. */
    public static ScopedResources first(PushContext push, ScopeRules rules) {
        return new ScopedResources(push, rules, null);
    }

    /** The resources of the next push, sharing what did not change with these. */
    public ScopedResources next(PushContext nextPush, ScopeRules nextRules) {
        ScopedResources next = new ScopedResources(nextPush, nextRules, this);
        previous = null;
        return next;
    }

    public PushContext push() {
        return push;
    }

    @Override
    public PackedResources generate(ProxyNode proxy, Node node, XdsType type) {
        Scopes of = scopes.computeIfAbsent(node, n -> new Scopes(rules.scopeOf(n), rules.routingScopeOf(n)));
        ProxyScope scope = switch (type) {
            case CLUSTER, LISTENER -> of.proxy();
            case ENDPOINT, ROUTE -> of.routing();
        };
        Key key = new Key(scope, type);
        return generated.computeIfAbsent(key, k -> new Once()).get(() -> pack(proxy, key));
    }

    private PackedResources pack(ProxyNode proxy, Key key) {
        SortedMap<String, Message> resources = switch (key.type()) {
            case CLUSTER -> XdsResources.clusters(push, proxy);
            case ENDPOINT -> XdsResources.endpoints(push, proxy);
            case LISTENER -> XdsResources.listeners(push, proxy);
            case ROUTE -> XdsResources.routes(push, proxy);
        };
        SortedMap<String, Any> packed = new TreeMap<>();
        resources.forEach((name, resource) -> packed.put(name, Any.pack(resource)));
        ScopedResources before = previous;
        Once earlier = before == null ? null : before.generated.get(key);
        PackedResources earlierResources = earlier == null ? null : earlier.peek();
        return earlierResources == null ? new PackedResources(packed) : PackedResources.reusing(packed, earlierResources);
    }
}
