package dev.weft.model.analysis;

import dev.weft.model.Resource;
import dev.weft.model.security.AuthorizationPolicy;
import dev.weft.model.security.Rule;
import dev.weft.model.security.RuleFrom;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * An AuthorizationPolicy must apply to some workload, and the namespaces its sources name (exactly,
 * or as {@code prefix*} / {@code *suffix} / {@code *}) must exist.
 */
final class AuthorizationPoliciesAnalyzer implements Analyzer {

  @Override
  public String name() {
    return "authz.AuthorizationPoliciesAnalyzer";
  }

  @Override
  public void analyze(AnalysisContext context) {
    Set<String> namespaces = knownNamespaces(context);
    for (Resource<AuthorizationPolicy> policy : context.snapshot().authorizationPolicies()) {
      checkWorkloads(context, policy);
      List<Rule> rules = policy.spec().rules();
      for (int r = 0; r < rules.size(); r++) {
        List<RuleFrom> from = rules.get(r).from();
        for (int f = 0; f < from.size(); f++) {
          if (from.get(f).source() == null) {
            continue;
          }
          String path = "spec.rules[" + r + "].from[" + f + "].source";
          checkNamespaces(context, policy, path + ".namespaces", from.get(f).source().namespaces(), namespaces);
          checkNamespaces(context, policy, path + ".notNamespaces", from.get(f).source().notNamespaces(),
              namespaces);
        }
      }
    }
  }

  private static void checkWorkloads(AnalysisContext context, Resource<AuthorizationPolicy> policy) {
    AuthorizationPolicy spec = policy.spec();
    if (spec.targetRef() != null || !spec.targetRefs().isEmpty()) {
      return;
    }
    Map<String, String> selector = spec.selector() == null ? Map.of() : spec.selector().matchLabels();
    boolean root = policy.namespace().equals(JwtClaimRouteAnalyzer.ROOT_NAMESPACE);
    if (root && selector.isEmpty()) {
      return;
    }
    boolean matches = root
        ? !context.workloads().selectedAnywhere(selector).isEmpty()
        : !context.workloads().selectedIn(policy.namespace(), selector).isEmpty();
    if (!matches) {
      context.report(policy, selector.isEmpty() ? "" : "spec.selector", MessageType.NO_MATCHING_WORKLOADS_FOUND,
          Selectors.text(selector));
    }
  }

  private static void checkNamespaces(AnalysisContext context, Resource<AuthorizationPolicy> policy,
      String path, List<String> patterns, Set<String> namespaces) {
    for (int i = 0; i < patterns.size(); i++) {
      String pattern = patterns.get(i);
      if (namespaces.stream().noneMatch(ns -> matches(pattern, ns))) {
        context.report(policy, path + "[" + i + "]", MessageType.REFERENCED_RESOURCE_NOT_FOUND,
            "namespace", pattern);
      }
    }
  }

  /** Istio's string forms: exact, {@code prefix*}, {@code *suffix}, and {@code *} for any. */
  static boolean matches(String pattern, String value) {
    if (pattern.equals("*")) {
      return !value.isEmpty();
    }
    if (pattern.endsWith("*")) {
      return value.startsWith(pattern.substring(0, pattern.length() - 1));
    }
    if (pattern.startsWith("*")) {
      return value.endsWith(pattern.substring(1));
    }
    return pattern.equals(value);
  }

  /** Namespaces declared as Namespace resources, plus every namespace a resource lives in. */
  private static Set<String> knownNamespaces(AnalysisContext context) {
    Set<String> namespaces = new TreeSet<>();
    context.snapshot().namespaces().forEach(ns -> namespaces.add(ns.name()));
    context.snapshot().all().stream()
        .filter(r -> r.kind().isNamespaced())
        .forEach(r -> namespaces.add(r.namespace()));
    return namespaces;
  }
}
