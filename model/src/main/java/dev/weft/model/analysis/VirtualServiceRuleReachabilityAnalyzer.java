package dev.weft.model.analysis;

import dev.weft.model.Resource;
import dev.weft.model.networking.HTTPMatchRequest;
import dev.weft.model.networking.HTTPRoute;
import dev.weft.model.networking.StringMatch;
import dev.weft.model.networking.VirtualService;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiPredicate;
import java.util.function.Function;

/**
 * First match wins, so a rule after a catch-all, a match that repeats an earlier one, or a URI prefix
 * match already covered by an earlier, no narrower match can never be used.
 */
final class VirtualServiceRuleReachabilityAnalyzer implements Analyzer {

  @Override
  public String name() {
    return "virtualservice.RuleReachabilityAnalyzer";
  }

  /** One rule's display name and its matches. */
  private record Rule<M>(String name, List<M> matches) {}

  @Override
  public void analyze(AnalysisContext context) {
    for (Resource<VirtualService> vs : context.snapshot().virtualServices()) {
      VirtualService spec = vs.spec();
      List<Rule<HTTPMatchRequest>> http = new ArrayList<>();
      for (int i = 0; i < spec.http().size(); i++) {
        HTTPRoute route = spec.http().get(i);
        http.add(new Rule<>(route.name().isEmpty() ? "#" + i : "\"" + route.name() + "\"", route.match()));
      }
      analyzeRules(context, vs, "http", http, VirtualServiceRuleReachabilityAnalyzer::withoutName,
          VirtualServiceRuleReachabilityAnalyzer::prefixCovers);
      List<Rule<Object>> tcp = new ArrayList<>();
      for (int i = 0; i < spec.tcp().size(); i++) {
        tcp.add(new Rule<>("#" + i, List.copyOf(spec.tcp().get(i).match())));
      }
      analyzeRules(context, vs, "tcp", tcp, Function.identity(), (a, b) -> false);
      List<Rule<Object>> tls = new ArrayList<>();
      for (int i = 0; i < spec.tls().size(); i++) {
        tls.add(new Rule<>("#" + i, List.copyOf(spec.tls().get(i).match())));
      }
      analyzeRules(context, vs, "tls", tls, Function.identity(), (a, b) -> false);
    }
  }

  private static <M> void analyzeRules(AnalysisContext context, Resource<VirtualService> vs, String field,
      List<Rule<M>> rules, Function<M, Object> identity, BiPredicate<M, M> covers) {
    Map<Object, String> seen = new HashMap<>();
    List<M> earlier = new ArrayList<>();
    List<String> earlierRule = new ArrayList<>();
    boolean catchAllSeen = false;
    for (int r = 0; r < rules.size(); r++) {
      Rule<M> rule = rules.get(r);
      String rulePath = "spec." + field + "[" + r + "]";
      if (rule.matches().isEmpty()) {
        if (catchAllSeen) {
          context.report(vs, rulePath, MessageType.VIRTUAL_SERVICE_UNREACHABLE_RULE, rule.name(),
              "only the last rule can have no matches");
        }
        catchAllSeen = true;
        continue;
      }
      int duplicates = 0;
      for (int m = 0; m < rule.matches().size(); m++) {
        M match = rule.matches().get(m);
        String matchName = matchName(match, m);
        String matchPath = rulePath + ".match[" + m + "]";
        Object key = identity.apply(match);
        String duplicateOf = seen.get(key);
        if (duplicateOf != null) {
          context.report(vs, matchPath, MessageType.VIRTUAL_SERVICE_INEFFECTIVE_MATCH, rule.name(),
              matchName, duplicateOf);
          duplicates++;
          continue;
        }
        for (int e = 0; e < earlier.size(); e++) {
          if (covers.test(earlier.get(e), match)) {
            context.report(vs, matchPath, MessageType.VIRTUAL_SERVICE_INEFFECTIVE_MATCH, rule.name(),
                matchName, earlierRule.get(e));
            break;
          }
        }
        seen.put(key, rule.name());
        earlier.add(match);
        earlierRule.add(rule.name());
      }
      if (duplicates == rule.matches().size()) {
        context.report(vs, rulePath, MessageType.VIRTUAL_SERVICE_UNREACHABLE_RULE, rule.name(),
            "all matches used by prior rules");
      }
    }
  }

  private static String matchName(Object match, int index) {
    if (match instanceof HTTPMatchRequest http && !http.name().isEmpty()) {
      return "\"" + http.name() + "\"";
    }
    return "#" + index;
  }

  /** A match compared without its name, which does not change what it matches. */
  private static Object withoutName(HTTPMatchRequest m) {
    return withUri(m, m.uri(), "");
  }

  private static HTTPMatchRequest withUri(HTTPMatchRequest m, StringMatch uri, String name) {
    return new HTTPMatchRequest(name, uri, m.scheme(), m.method(), m.authority(), m.headers(), m.port(),
        m.sourceLabels(), m.gateways(), m.queryParams(), m.ignoreUriCase(), m.withoutHeaders(),
        m.sourceNamespace(), m.statPrefix());
  }

  private static final HTTPMatchRequest MATCH_ALL = new HTTPMatchRequest("", null, null, null, null,
      Map.of(), 0, Map.of(), List.of(), Map.of(), false, Map.of(), "", "");

  /**
   * Whether the earlier match covers the later by URI prefix: its prefix starts the later prefix,
   * and apart from the URI it asks for the same as the later match, or for nothing.
   */
  private static boolean prefixCovers(HTTPMatchRequest earlier, HTTPMatchRequest later) {
    if (earlier.uri() == null || later.uri() == null
        || earlier.uri().prefix() == null || later.uri().prefix() == null
        || !later.uri().prefix().startsWith(earlier.uri().prefix())) {
      return false;
    }
    HTTPMatchRequest earlierRest = withUri(earlier, null, "");
    return earlierRest.equals(MATCH_ALL) || earlierRest.equals(withUri(later, null, ""));
  }
}
