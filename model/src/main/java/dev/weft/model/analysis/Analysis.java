package dev.weft.model.analysis;

import dev.weft.model.ConfigError;
import dev.weft.model.ConfigSnapshot;
import dev.weft.model.Severity;
import dev.weft.model.load.LoadResult;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Set;

/**
 * {@code istioctl analyze}: the loader's findings (parse and schema errors as IST0106, schema warnings
 * as IST0133) plus every cross-resource analyzer, over everything that was loaded.
 */
public final class Analysis {
  private static final Comparator<Message> ORDER = Comparator.comparing(Message::file)
      .thenComparingInt(Message::line)
      .thenComparing(m -> m.type().code())
      .thenComparing(Message::resource)
      .thenComparing(Message::text);

  private Analysis() {}

  /** Every analyzer, in a fixed order. */
  public static List<Analyzer> analyzers() {
    return List.of(
        new AuthorizationPoliciesAnalyzer(),
        new ConflictingGatewayAnalyzer(),
        new GatewayCertificateAnalyzer(),
        new GatewaySecretAnalyzer(),
        new DestinationRuleCaCertificateAnalyzer(),
        new MtlsPolicyConflictAnalyzer(),
        new DestinationRulePodNotSelectedAnalyzer(),
        new ServiceEntryProtocolAddressesAnalyzer(),
        new ConflictingServiceEntryProtocolAnalyzer(),
        new SidecarSelectorAnalyzer(),
        new ConflictingMeshGatewayHostsAnalyzer(),
        new VirtualServiceDestinationHostAnalyzer(),
        new VirtualServiceDestinationRuleAnalyzer(),
        new VirtualServiceGatewayAnalyzer(),
        new JwtClaimRouteAnalyzer(),
        new VirtualServiceRuleReachabilityAnalyzer());
  }

  /** Runs the loader's findings and the given analyzers; messages sorted by file, line and code. */
  public static List<Message> analyze(LoadResult load, String domainSuffix, List<Analyzer> analyzers) {
    return analyze(load, domainSuffix, Set.of(), analyzers);
  }

  /**
   * As above, for a mesh that also serves the TLS credentials {@code credentials} from outside its config (weft's
   * credentials directory by name, a cluster's Secrets as {@code namespace/name}), which {@code credentialName}
   * fields may name.
   */
  public static List<Message> analyze(LoadResult load, String domainSuffix, Set<String> credentials,
      List<Analyzer> analyzers) {
    List<Message> messages = new ArrayList<>();
    load.errors().forEach(error -> messages.add(fromConfigError(error)));
    AnalysisContext context = new AnalysisContext(ConfigSnapshot.of(load.resources()), domainSuffix, credentials);
    for (Analyzer analyzer : analyzers) {
      try {
        analyzer.analyze(context);
      } catch (RuntimeException e) {
        messages.add(new Message(MessageType.INTERNAL_ERROR, Level.ERROR, "", "", analyzer.name(), 0,
            MessageType.INTERNAL_ERROR.format(analyzer.name() + ": " + e)));
      }
    }
    messages.addAll(context.messages());
    messages.sort(ORDER);
    return List.copyOf(messages);
  }

  public static List<Message> analyze(LoadResult load, String domainSuffix) {
    return analyze(load, domainSuffix, analyzers());
  }

  private static Message fromConfigError(ConfigError error) {
    MessageType type = error.severity() == Severity.ERROR
        ? MessageType.SCHEMA_VALIDATION_ERROR
        : MessageType.SCHEMA_WARNING;
    return new Message(type, type.level(), error.resource(), namespaceOf(error.resource()), error.file(), error.line(),
        type.format(error.detail()));
  }

  /** The namespace in a display name such as {@code VirtualService default/reviews}. */
  private static String namespaceOf(String resource) {
    int space = resource.indexOf(' ');
    int slash = resource.indexOf('/', space + 1);
    return space < 0 || slash < 0 ? "" : resource.substring(space + 1, slash);
  }
}
