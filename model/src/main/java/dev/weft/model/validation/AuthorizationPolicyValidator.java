package dev.weft.model.validation;

import dev.weft.model.security.AuthorizationAction;
import dev.weft.model.security.AuthorizationPolicy;
import dev.weft.model.security.Condition;
import dev.weft.model.security.Operation;
import dev.weft.model.security.Rule;
import dev.weft.model.security.Source;
import java.util.List;
import java.util.Set;

/** Istio's validation rules for AuthorizationPolicy (SEMANTICS §8 and §14). */
final class AuthorizationPolicyValidator {
  private static final int MAX_SERVICE_ACCOUNTS = 16;
  private static final Set<String> EXACT_KEYS = Set.of(
      "source.ip", "remote.ip", "source.namespace", "source.principal", "source.serviceAccount",
      "source.trustDomain", "request.auth.principal", "request.auth.audiences", "request.auth.presenter",
      "destination.ip", "destination.port", "connection.sni");
  private static final Set<String> IP_KEYS = Set.of("source.ip", "remote.ip", "destination.ip");

  private AuthorizationPolicyValidator() {}

  static void validate(AuthorizationPolicy policy, Findings findings) {
    PolicyTargets.check(policy.selector(), policy.targetRef(), policy.targetRefs(), findings);
    if (policy.action() == AuthorizationAction.CUSTOM) {
      if (policy.provider() == null || policy.provider().name().isEmpty()) {
        findings.error("spec.provider", "`provider.name` must be set with CUSTOM action");
      }
    } else if (policy.provider() != null) {
      findings.error("spec.provider", "`provider` must not be with non CUSTOM action");
    }
    if (policy.action() == AuthorizationAction.DENY && policy.rules().isEmpty()) {
      findings.warning("spec.rules", "DENY action without `rules` is meaningless (it never matches), add an empty"
          + " rule `{}` to deny all requests");
    }
    for (int i = 0; i < policy.rules().size(); i++) {
      checkRule(policy.rules().get(i), policy.action(), "spec.rules[" + i + "]", findings);
    }
  }

  private static void checkRule(Rule rule, AuthorizationAction action, String path, Findings findings) {
    for (int i = 0; i < rule.from().size(); i++) {
      String fromPath = path + ".from[" + i + "].source";
      Source source = rule.from().get(i).source();
      if (source == null) {
        findings.error(fromPath, "`from.source` must not be nil");
      } else {
        checkSource(source, fromPath, findings);
      }
    }
    boolean anyPorts = false;
    boolean httpOnly = false;
    for (int i = 0; i < rule.to().size(); i++) {
      String toPath = path + ".to[" + i + "].operation";
      Operation operation = rule.to().get(i).operation();
      if (operation == null) {
        findings.error(toPath, "`to.operation` must not be nil");
        continue;
      }
      checkOperation(operation, toPath, findings);
      anyPorts |= !operation.ports().isEmpty() || !operation.notPorts().isEmpty();
      httpOnly |= !operation.methods().isEmpty() || !operation.notMethods().isEmpty() || !operation.paths().isEmpty()
          || !operation.notPaths().isEmpty() || !operation.hosts().isEmpty() || !operation.notHosts().isEmpty();
    }
    for (int i = 0; i < rule.from().size(); i++) {
      Source source = rule.from().get(i).source();
      httpOnly |= source != null && (!source.requestPrincipals().isEmpty() || !source.notRequestPrincipals().isEmpty());
    }
    for (int i = 0; i < rule.when().size(); i++) {
      Condition condition = rule.when().get(i);
      checkCondition(condition, path + ".when[" + i + "]", findings);
      httpOnly |= condition.key().startsWith("request.");
      anyPorts |= condition.key().equals("destination.port");
    }
    if (action == AuthorizationAction.DENY && httpOnly && !anyPorts) {
      findings.warning(path, "configured AuthorizationPolicy will deny all traffic to TCP ports under its scope due to"
          + " the use of only HTTP attributes in a DENY rule; it is recommended to explicitly specify the port");
    }
  }

  private static void checkSource(Source source, String path, Findings findings) {
    boolean empty = List.of(source.principals(), source.notPrincipals(), source.requestPrincipals(),
        source.notRequestPrincipals(), source.namespaces(), source.notNamespaces(), source.ipBlocks(),
        source.notIpBlocks(), source.remoteIpBlocks(), source.notRemoteIpBlocks(), source.serviceAccounts(),
        source.notServiceAccounts(), source.trustDomains(), source.notTrustDomains()).stream().allMatch(List::isEmpty);
    if (empty) {
      findings.error(path, "`from.source` must not be empty");
    }
    boolean serviceAccounts = !source.serviceAccounts().isEmpty() || !source.notServiceAccounts().isEmpty();
    boolean identities = !source.principals().isEmpty() || !source.notPrincipals().isEmpty()
        || !source.namespaces().isEmpty() || !source.notNamespaces().isEmpty();
    if (serviceAccounts && identities) {
      findings.error(path, "Cannot set serviceAccounts with namespaces or principals");
    }
    checkServiceAccounts(source.serviceAccounts(), path + ".serviceAccounts", findings);
    checkServiceAccounts(source.notServiceAccounts(), path + ".notServiceAccounts", findings);
    checkIpBlocks(source.ipBlocks(), path + ".ipBlocks", findings);
    checkIpBlocks(source.notIpBlocks(), path + ".notIpBlocks", findings);
    checkIpBlocks(source.remoteIpBlocks(), path + ".remoteIpBlocks", findings);
    checkIpBlocks(source.notRemoteIpBlocks(), path + ".notRemoteIpBlocks", findings);
  }

  private static void checkServiceAccounts(List<String> accounts, String path, Findings findings) {
    if (accounts.size() > MAX_SERVICE_ACCOUNTS) {
      findings.error(path, "Too many: " + accounts.size() + ": must have at most " + MAX_SERVICE_ACCOUNTS + " items");
    }
    for (int i = 0; i < accounts.size(); i++) {
      String account = accounts.get(i);
      if (account.contains("*")) {
        findings.error(path + "[" + i + "]", "wildcard is not supported in serviceAccounts: " + account);
      } else if (account.isEmpty() || account.split("/", -1).length > 2) {
        findings.error(path + "[" + i + "]", "Invalid value: \"" + account
            + "\": must be of the form <namespace>/<name> or <name>");
      }
    }
  }

  private static void checkIpBlocks(List<String> blocks, String path, Findings findings) {
    for (int i = 0; i < blocks.size(); i++) {
      if (!IpAddresses.isIpOrCidr(blocks.get(i))) {
        findings.error(path + "[" + i + "]", "Invalid value: \"" + blocks.get(i)
            + "\": must be an IP address or CIDR block");
      }
    }
  }

  private static void checkOperation(Operation operation, String path, Findings findings) {
    boolean empty = List.of(operation.hosts(), operation.notHosts(), operation.ports(), operation.notPorts(),
        operation.methods(), operation.notMethods(), operation.paths(), operation.notPaths())
        .stream().allMatch(List::isEmpty);
    if (empty) {
      findings.error(path, "`to.operation` must not be empty");
    }
    checkPortStrings(operation.ports(), path + ".ports", findings);
    checkPortStrings(operation.notPorts(), path + ".notPorts", findings);
    checkPaths(operation.paths(), path + ".paths", findings);
    checkPaths(operation.notPaths(), path + ".notPaths", findings);
  }

  private static void checkPortStrings(List<String> ports, String path, Findings findings) {
    for (int i = 0; i < ports.size(); i++) {
      String port = ports.get(i);
      if (!port.matches("\\d{1,5}") || !Ports.isValid(Long.parseLong(port))) {
        findings.error(path + "[" + i + "]", "Invalid value: \"" + port + "\": port must be between 1-65535");
      }
    }
  }

  /** Envoy URI templates: {@code {*}} is one segment, {@code {**}} only as the last operator. */
  private static void checkPaths(List<String> paths, String path, Findings findings) {
    for (int i = 0; i < paths.size(); i++) {
      String value = paths.get(i);
      if (!value.contains("{")) {
        continue;
      }
      int multi = value.indexOf("{**}");
      String afterMulti = multi < 0 ? "" : value.substring(multi + 4);
      if (afterMulti.contains("{*}") || afterMulti.contains("{**}")) {
        findings.error(path + "[" + i + "]", "invalid path template \"" + value
            + "\": {**} must be the last operator");
      }
      if (value.replace("{**}", "").replace("{*}", "").contains("{")) {
        findings.error(path + "[" + i + "]", "invalid path template \"" + value
            + "\": only {*} and {**} are supported");
      }
    }
  }

  private static void checkCondition(Condition condition, String path, Findings findings) {
    String key = condition.key();
    if (key.isEmpty()) {
      findings.required(path + ".key");
      return;
    }
    if (condition.values().isEmpty() && condition.notValues().isEmpty()) {
      findings.error(path, "at least one of `values` or `notValues` must be set for key " + key);
    }
    if (!isKnownKey(key)) {
      findings.error(path + ".key", "unknown attribute (" + key + ")");
      return;
    }
    if (IP_KEYS.contains(key)) {
      checkIpBlocks(condition.values(), path + ".values", findings);
      checkIpBlocks(condition.notValues(), path + ".notValues", findings);
    }
    if (key.equals("destination.port")) {
      checkPortStrings(condition.values(), path + ".values", findings);
      checkPortStrings(condition.notValues(), path + ".notValues", findings);
    }
  }

  private static boolean isKnownKey(String key) {
    return EXACT_KEYS.contains(key)
        || key.startsWith("request.headers[") && key.endsWith("]") && key.length() > "request.headers[]".length()
        || key.startsWith("request.auth.claims[") && key.endsWith("]") && key.length() > "request.auth.claims[]".length()
        || key.startsWith("experimental.envoy.filters.");
  }
}
