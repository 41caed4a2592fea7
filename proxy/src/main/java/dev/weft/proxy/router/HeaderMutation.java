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

    private static Add add(HeaderValueOption o) {
        boolean append;
        boolean onlyIfAbsent = false;
        switch (o.getAppendAction()) {
            case OVERWRITE_IF_EXISTS_OR_ADD -> append = false;
            case ADD_IF_ABSENT -> {
                append = false;
                onlyIfAbsent = true;
            }
            case OVERWRITE_IF_EXISTS -> append = false;
            default -> append = !o.hasAppend() || o.getAppend().getValue();
        }
        if (o.hasAppend()) {
            append = o.getAppend().getValue();
        }
        return new Add(o.getHeader().getKey().toLowerCase(Locale.ROOT), o.getHeader().getValue(), append, onlyIfAbsent);
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
