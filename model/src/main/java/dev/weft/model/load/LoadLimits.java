package dev.weft.model.load;

/**
 * Bounds that keep hostile input from exhausting memory or time. Sizes are in characters (UTF-16 code units for
 * fields, code points for documents; the same as bytes for ASCII YAML).
 *
 * @param maxFileBytes largest file or string accepted
 * @param maxDocumentsPerFile documents in one YAML stream (a file, or one {@code weft apply})
 * @param maxNestingDepth nested collections in one document
 * @param maxAliases aliases to collections in one stream (the billion-laughs vector)
 * @param maxNodesPerDocument nodes visited while binding one document, aliases expanded
 * @param maxDocumentChars one document's text, and the keys and scalars it binds with aliases expanded
 * @param maxFieldChars one scalar field
 */
public record LoadLimits(
    long maxFileBytes, int maxDocumentsPerFile, int maxNestingDepth, int maxAliases, int maxNodesPerDocument,
    int maxDocumentChars, int maxFieldChars) {

  /** Kubernetes (etcd) stores objects of at most 1.5 MiB: a larger document could never be applied there. */
  public static final int KUBERNETES_OBJECT_LIMIT = 1_572_864;
  /** A Kubernetes Secret or ConfigMap holds at most 1 MiB of data: no single field needs more. */
  public static final int KUBERNETES_VALUE_LIMIT = 1_048_576;

  public static LoadLimits defaults() {
    return new LoadLimits(16L * 1024 * 1024, 10_000, 64, 100, 200_000, KUBERNETES_OBJECT_LIMIT,
        KUBERNETES_VALUE_LIMIT);
  }
}
