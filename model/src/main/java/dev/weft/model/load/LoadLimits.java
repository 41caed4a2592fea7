package dev.weft.model.load;

/**
 * Bounds that keep hostile input from exhausting memory or time.
 *
 * @param maxFileBytes largest file or string accepted
 * @param maxDocumentsPerFile documents in one YAML stream
 * @param maxNestingDepth nested collections in one document
 * @param maxAliases aliases to collections in one stream (the billion-laughs vector)
 * @param maxNodesPerDocument nodes visited while binding one document, aliases expanded
 */
public record LoadLimits(
    long maxFileBytes, int maxDocumentsPerFile, int maxNestingDepth, int maxAliases, int maxNodesPerDocument) {

  public static LoadLimits defaults() {
    return new LoadLimits(16L * 1024 * 1024, 10_000, 64, 100, 200_000);
  }
}
