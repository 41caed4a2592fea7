package dev.weft.xds.mesh;

import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * The namespaces a service or rule is visible to, resolved from an {@code exportTo} list
 * ({@code "*"} all, {@code "."} the owner's namespace, {@code "~"} none, or names).
 */
public record ExportTo(boolean everyone, Set<String> namespaces) {

    public static final ExportTo ALL = new ExportTo(true, Set.of());
    public static final ExportTo NONE = new ExportTo(false, Set.of());

    public ExportTo {
        namespaces = Set.copyOf(namespaces);
    }

    /** An omitted or empty list exports to every namespace. */
    public static ExportTo of(List<String> exportTo, String ownNamespace) {
        if (exportTo == null || exportTo.isEmpty()) {
            return ALL;
        }
        TreeSet<String> names = new TreeSet<>();
        for (String entry : exportTo) {
            switch (entry) {
                case "*" -> {
                    return ALL;
                }
                case "~" -> {
                    return NONE;
                }
                case "." -> names.add(ownNamespace);
                default -> names.add(entry);
            }
        }
        return new ExportTo(false, names);
    }

    public boolean isVisibleTo(String namespace) {
        return everyone || namespaces.contains(namespace);
    }
}
