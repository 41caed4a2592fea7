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
import java.util.Collections;
import java.util.Map;
import java.util.Objects;
import java.util.WeakHashMap;
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

    /**
     * Each stream's scopes under one set of rules, worked out once and kept across pushes while the rules stay the
     * same (a routing change leaves them): rebuilding 5,000 streams' scopes on every push was a tenth of its CPU. A
     * stream passes the same node instance every time, whose hash protobuf keeps, so the lookup is cheap; keys are
     * weak, so a closed stream's node leaves with it.
     */
    private static final class ScopeIndex {
        private final ScopeRules rules;
        private final Map<Node, Scopes> byNode = Collections.synchronizedMap(new WeakHashMap<>());

        ScopeIndex(ScopeRules rules) {
            this.rules = Objects.requireNonNull(rules, "rules");
        }

        Scopes of(Node node) {
            Scopes known = byNode.get(node);
            if (known != null) {
                return known;
            }
            Scopes computed = new Scopes(rules.scopeOf(node), rules.routingScopeOf(node));
            byNode.put(node, computed);
            return computed;
        }
    }

    private final PushContext push;
    private final ScopeIndex scopes;
    private final ConcurrentHashMap<Key, Once> generated = new ConcurrentHashMap<>();
    /**
     * What the previous push generated, read for reuse only; cut when this instance is itself replaced, so pushes
     * never chain. Only the generated resources: holding the previous PushContext kept a replaced config (60,000
     * deleted routes) in memory until the next push.
     */
    private volatile Map<Key, Once> previous;

    private ScopedResources(PushContext push, ScopeIndex scopes, Map<Key, Once> previous) {
        this.push = Objects.requireNonNull(push, "push");
        this.scopes = scopes;
        this.previous = previous;
    }

    /** {@code rules} must come from the config {@code push} was built from. */
    public static ScopedResources first(PushContext push, ScopeRules rules) {
        return new ScopedResources(push, new ScopeIndex(rules), null);
    }

    /** The resources of the next push, sharing what did not change with these. */
    public ScopedResources next(PushContext nextPush, ScopeRules nextRules) {
        ScopeIndex index = scopes.rules.equals(nextRules) ? scopes : new ScopeIndex(nextRules);
        ScopedResources next = new ScopedResources(nextPush, index, generated);
        previous = null;
        return next;
    }

    public PushContext push() {
        return push;
    }

    /** The scope a node's clusters and listeners are generated for. */
    ProxyScope scopeOf(Node node) {
        return scopes.of(node).proxy();
    }

    @Override
    public PackedResources generate(ProxyNode proxy, Node node, XdsType type) {
        Scopes of = scopes.of(node);
        ProxyScope scope = switch (type) {
            case CLUSTER, LISTENER, SECRET -> of.proxy();
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
            case SECRET -> XdsResources.secrets(push, proxy);
        };
        SortedMap<String, Any> packed = new TreeMap<>();
        resources.forEach((name, resource) -> packed.put(name, Any.pack(resource)));
        Map<Key, Once> before = previous;
        Once earlier = before == null ? null : before.get(key);
        PackedResources earlierResources = earlier == null ? null : earlier.peek();
        return earlierResources == null ? new PackedResources(packed) : PackedResources.reusing(packed, earlierResources);
    }
}
