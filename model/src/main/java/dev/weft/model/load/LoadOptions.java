package dev.weft.model.load;

/**
 * How documents are read.
 *
 * @param defaultNamespace namespace of documents without {@code metadata.namespace}
 * @param domainSuffix cluster domain used to expand short host names
 */
public record LoadOptions(String defaultNamespace, String domainSuffix, LoadLimits limits) {

  public static LoadOptions defaults() {
    return new LoadOptions("default", "cluster.local", LoadLimits.defaults());
  }

  public LoadOptions withDefaultNamespace(String namespace) {
    return new LoadOptions(namespace, domainSuffix, limits);
  }

  public LoadOptions withDomainSuffix(String suffix) {
    return new LoadOptions(defaultNamespace, suffix, limits);
  }

  public LoadOptions withLimits(LoadLimits newLimits) {
    return new LoadOptions(defaultNamespace, domainSuffix, newLimits);
  }
}
