package dev.weft.proxy.router;

import io.envoyproxy.envoy.config.core.v3.HeaderValueOption;
import io.netty.handler.codec.http.HttpHeaders;
import java.util.List;
import java.util.Locale;

/** Headers to add (appending or overwriting) and to remove, applied to a request or a response. */
public record HeaderMutation(List<Add> adds, List<String> removes) {

    public static final HeaderMutation NONE = new HeaderMutation(List.of(), List.of());

    /** One header to set; {@code append} adds a value beside existing ones, otherwise it replaces them. */
    public record Add(String name, String value, boolean append, boolean onlyIfAbsent) {
    }

    public HeaderMutation {
        adds = List.copyOf(adds);
        removes = List.copyOf(removes);
    }

    static HeaderMutation compile(List<HeaderValueOption> toAdd, List<String> toRemove) {
        if (toAdd.isEmpty() && toRemove.isEmpty()) {
            return NONE;
        }
        List<Add> adds = toAdd.stream().map(HeaderMutation::add).toList();
        return new HeaderMutation(adds, toRemove.stream().map(s -> s.toLowerCase(Locale.ROOT)).toList());
    }

    /** Reads the deprecated {@code append} flag too: control planes (Istio among them) still send it. */
    @SuppressWarnings("deprecation")
    private static Add add(HeaderValueOption o) {
        String name = o.getHeader().getKey().toLowerCase(Locale.ROOT);
        String value = o.getHeader().getValue();
        return switch (o.getAppendAction()) {
            case ADD_IF_ABSENT -> new Add(name, value, false, true);
            case OVERWRITE_IF_EXISTS_OR_ADD, OVERWRITE_IF_EXISTS -> new Add(name, value, false, false);
            default -> new Add(name, value, !o.hasAppend() || o.getAppend().getValue(), false);
        };
    }

    public void apply(HttpHeaders headers) {
        for (String name : removes) {
            headers.remove(name);
        }
        for (Add a : adds) {
            if (a.onlyIfAbsent()) {
                if (!headers.contains(a.name())) {
                    headers.add(a.name(), a.value());
                }
            } else if (a.append()) {
                headers.add(a.name(), a.value());
            } else {
                headers.set(a.name(), a.value());
            }
        }
    }
}
