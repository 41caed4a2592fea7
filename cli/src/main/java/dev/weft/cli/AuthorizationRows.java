package dev.weft.cli;

import static dev.weft.cli.ConfigDump.field;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The rows of {@code weft proxy-config authz}: istioctl's {@code x authz check} (each RBAC policy a proxy enforces,
 * by action, AuthorizationPolicy and rule) and, beyond it, how many requests or connections each rule allowed and
 * denied, from the proxy's per-policy RBAC counters. An ALLOW filter's denials that no rule matched, and a DENY
 * filter's passes, show as {@code (no rule matched)}, from the proxy's counters by action ({@code unmatched.<ACTION>}).
 */
final class AuthorizationRows {

  static final List<String> HEADER = List.of("FILTER", "ACTION", "AUTHORIZATION POLICY", "RULE", "ALLOWED", "DENIED");

  private static final Pattern ISTIO_POLICY_ID = Pattern.compile("ns\\[(.*)]-policy\\[(.*)]-rule\\[(\\d+)]");
  private static final String NO_MATCH = "(no rule matched)";

  /** One rule of one RBAC filter, with its counts. */
  record Row(String filter, String action, String policy, String rule, long allowed, long denied) {

    List<String> cells() {
      return List.of(filter, action, policy, rule, Long.toString(allowed), Long.toString(denied));
    }
  }

  /**
   * One RBAC rule set as configured: where its counters live, its Envoy action and how Istio calls what it does.
   */
  private record RuleSet(String filter, String statBase, String statPrefix, String resultPrefix, String envoyAction,
      String action, JsonNode rbac) {
  }

  private AuthorizationRows() {
  }

  /** {@code stats} is the admin's {@code /stats} text ({@code name: value} lines). */
  static List<Row> rows(JsonNode dump, String stats) {
    Map<String, Long> counters = counters(stats);
    List<Row> rows = new ArrayList<>();
    for (RuleSet set : ruleSets(dump)) {
      List<String> names = new ArrayList<>();
      field(set.rbac(), "policies").fieldNames().forEachRemaining(names::add);
      names.sort(null);
      for (String name : names) {
        String base = set.statBase() + set.statPrefix() + "policy." + name + "." + set.resultPrefix();
        long a = counters.getOrDefault(base + "allowed", 0L);
        long d = counters.getOrDefault(base + "denied", 0L);
        Matcher istio = ISTIO_POLICY_ID.matcher(name);
        rows.add(istio.matches()
            ? new Row(set.filter(), set.action(), istio.group(2) + "." + istio.group(1), istio.group(3), a, d)
            : new Row(set.filter(), set.action(), name, "-", a, d));
      }
      String unmatched = set.statBase() + set.statPrefix() + "unmatched." + set.envoyAction() + "."
          + set.resultPrefix();
      long unmatchedAllowed = counters.getOrDefault(unmatched + "allowed", 0L);
      long unmatchedDenied = counters.getOrDefault(unmatched + "denied", 0L);
      if (unmatchedAllowed > 0 || unmatchedDenied > 0) {
        rows.add(new Row(set.filter(), set.action(), NO_MATCH, "-", unmatchedAllowed, unmatchedDenied));
      }
    }
    return rows;
  }

  static List<List<String>> table(JsonNode dump, String stats) {
    List<List<String>> table = new ArrayList<>();
    table.add(HEADER);
    rows(dump, stats).forEach(r -> table.add(r.cells()));
    return table;
  }

  /**
   * Every HTTP and network RBAC filter of every listener, each once: filter chains that differ only in transport
   * (Istio's mTLS and plaintext chains of one port) share one connection manager and so one set of counters.
   */
  private static Set<RuleSet> ruleSets(JsonNode dump) {
    Set<RuleSet> sets = new LinkedHashSet<>();
    for (JsonNode listener : ConfigDump.listeners(dump)) {
      List<JsonNode> chains = new ArrayList<>();
      field(listener, "filter_chains", "filterChains").forEach(chains::add);
      JsonNode fallback = field(listener, "default_filter_chain", "defaultFilterChain");
      if (!fallback.isMissingNode()) {
        chains.add(fallback);
      }
      for (JsonNode chain : chains) {
        for (JsonNode filter : field(chain, "filters")) {
          JsonNode config = field(filter, "typed_config", "typedConfig");
          String type = config.path("@type").asText();
          if (type.endsWith("filters.network.rbac.v3.RBAC")) {
            addRuleSets(sets, "tcp", field(config, "stat_prefix", "statPrefix").asText() + "rbac.", "", config);
          } else if (type.endsWith("HttpConnectionManager")) {
            String base = "http." + field(config, "stat_prefix", "statPrefix").asText() + ".rbac.";
            for (JsonNode http : field(config, "http_filters", "httpFilters")) {
              JsonNode rbac = field(http, "typed_config", "typedConfig");
              if (rbac.path("@type").asText().endsWith("filters.http.rbac.v3.RBAC")) {
                addRuleSets(sets, "http", base, field(rbac, "rules_stat_prefix", "rulesStatPrefix").asText(), rbac);
              }
            }
          }
        }
      }
    }
    return sets;
  }

  private static void addRuleSets(Set<RuleSet> into, String kind, String statBase, String rulesPrefix, JsonNode config) {
    JsonNode rules = field(config, "rules");
    if (!rules.isMissingNode()) {
      String action = envoyAction(rules);
      into.add(new RuleSet(kind, statBase, rulesPrefix, "", action, istioAction(action), rules));
    }
    JsonNode shadow = field(config, "shadow_rules", "shadowRules");
    if (!shadow.isMissingNode()) {
      String prefix = field(config, "shadow_rules_stat_prefix", "shadowRulesStatPrefix").asText();
      String action = envoyAction(shadow);
      into.add(new RuleSet(kind, statBase, prefix, "shadow_", action, shadowAction(prefix, istioAction(action)),
          shadow));
    }
  }

  /** proto3 JSON leaves out the default, ALLOW. */
  private static String envoyAction(JsonNode rules) {
    return rules.path("action").asText("ALLOW");
  }

  /** Istio's names for Envoy's actions: LOG is how AUDIT policies reach the proxy. */
  private static String istioAction(String envoyAction) {
    return envoyAction.equals("LOG") ? "AUDIT" : envoyAction;
  }

  /** Shadow rules carry CUSTOM (ext_authz's trigger) and dry-run policies; Istio tells them apart by stat prefix. */
  private static String shadowAction(String prefix, String action) {
    return switch (prefix) {
      case "istio_ext_authz_" -> "CUSTOM";
      case "istio_dry_run_allow_", "istio_dry_run_deny_" -> "DRY-RUN " + action;
      default -> "SHADOW " + action;
    };
  }

  private static Map<String, Long> counters(String stats) {
    Map<String, Long> counters = new HashMap<>();
    for (String line : stats.split("\n")) {
      int colon = line.lastIndexOf(": ");
      if (colon > 0) {
        try {
          counters.put(line.substring(0, colon), Long.parseLong(line.substring(colon + 2).strip()));
        } catch (NumberFormatException histogram) {
          // Histograms print their quantiles; no RBAC counter is one.
        }
      }
    }
    return counters;
  }
}
