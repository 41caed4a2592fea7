package dev.weft.controlplane.ads;

import com.google.protobuf.Any;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Collections;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * One type's resources for one proxy scope, serialized once and shared by every stream that sends them, each
 * with a content hash as its delta version. Immutable.
 */
public final class PackedResources {

    public static final PackedResources EMPTY = new PackedResources(new TreeMap<>());

    private final SortedMap<String, Any> byName;
    private final Map<String, String> versions;

    public PackedResources(SortedMap<String, Any> byName) {
        this(byName, Map.of());
    }

    private PackedResources(SortedMap<String, Any> byName, Map<String, String> knownVersions) {
        this.byName = Collections.unmodifiableSortedMap(new TreeMap<>(byName));
        Map<String, String> hashes = new HashMap<>();
        byName.forEach((name, body) -> hashes.put(name,
                knownVersions.containsKey(name) ? knownVersions.get(name) : hash(body)));
        this.versions = Map.copyOf(hashes);
    }

    /** Resources by name, sorted. */
    public SortedMap<String, Any> byName() {
        return byName;
    }

    /** The content hash of a resource, or null if there is none of that name. */
    public String version(String name) {
        return versions.get(name);
    }

    /**
     * Packs {@code fresh}, keeping the earlier instance (and hash) of every resource unchanged since
     * {@code previous}, so streams comparing what they sent find it identical at once and the bytes are held once.
     * When nothing changed at all it is {@code previous} itself, so a stream can skip the type by one identity check.
     */
    public static PackedResources reusing(SortedMap<String, Any> fresh, PackedResources previous) {
        SortedMap<String, Any> merged = new TreeMap<>();
        Map<String, String> known = new HashMap<>();
        fresh.forEach((name, body) -> {
            Any earlier = previous.byName.get(name);
            if (body.equals(earlier)) {
                merged.put(name, earlier);
                known.put(name, previous.versions.get(name));
            } else {
                merged.put(name, body);
            }
        });
        if (known.size() == fresh.size() && previous.byName.size() == fresh.size()) {
            return previous;
        }
        return new PackedResources(merged, known);
    }

    private static String hash(Any body) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(body.getValue().toByteArray());
            return HexFormat.of().formatHex(digest, 0, 8);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }
}
