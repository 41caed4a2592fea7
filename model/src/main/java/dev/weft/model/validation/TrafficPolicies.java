package dev.weft.model.validation;

import dev.weft.model.networking.ClientTLSMode;
import dev.weft.model.networking.ClientTLSSettings;
import dev.weft.model.networking.ConsistentHashLB;
import dev.weft.model.networking.LoadBalancerSettings;
import dev.weft.model.networking.LocalityDistribute;
import dev.weft.model.networking.LocalityFailover;
import dev.weft.model.networking.LocalityLoadBalancerSetting;
import dev.weft.model.networking.OutlierDetection;
import dev.weft.model.networking.PortTrafficPolicy;
import dev.weft.model.networking.SimpleLB;
import dev.weft.model.networking.TrafficPolicy;
import dev.weft.model.networking.TunnelSettings;
import dev.weft.model.networking.WarmupConfiguration;
import dev.weft.model.networking.ZoneAwareLoadBalancerSetting;
import java.math.BigInteger;
import java.util.HashSet;
import java.util.Set;

/** TrafficPolicy rules of DestinationRule (top level, per port and per subset). */
final class TrafficPolicies {
  private static final int MAX_PORT_SETTINGS = 4096;
  private static final Set<String> TOPOLOGY_LABELS =
      Set.of("topology.kubernetes.io/region", "topology.kubernetes.io/zone", "topology.istio.io/subzone");

  private TrafficPolicies() {}

  static void check(TrafficPolicy policy, String path, Findings findings) {
    if (policy == null) {
      return;
    }
    if (policy.loadBalancer() == null && policy.connectionPool() == null && policy.outlierDetection() == null
        && policy.tls() == null && policy.portLevelSettings().isEmpty() && policy.tunnel() == null
        && policy.proxyProtocol() == null && policy.retryBudget() == null) {
      findings.error(path, "traffic policy must have at least one field");
    }
    checkLoadBalancer(policy.loadBalancer(), path + ".loadBalancer", findings);
    ConnectionPools.check(policy.connectionPool(), path + ".connectionPool", findings);
    checkOutlierDetection(policy.outlierDetection(), path + ".outlierDetection", findings);
    checkTls(policy.tls(), path + ".tls", findings);
    checkTunnel(policy.tunnel(), path + ".tunnel", findings);
    if (policy.retryBudget() != null && policy.retryBudget().percent() != null
        && (policy.retryBudget().percent() < 0 || policy.retryBudget().percent() > 100)) {
      findings.error(path + ".retryBudget.percent", "Invalid value: " + policy.retryBudget().percent()
          + ": must be between 0 and 100");
    }
    if (policy.portLevelSettings().size() > MAX_PORT_SETTINGS) {
      findings.error(path + ".portLevelSettings", "Too many: " + policy.portLevelSettings().size()
          + ": must have at most " + MAX_PORT_SETTINGS + " items");
    }
    Set<Integer> ports = new HashSet<>();
    for (int i = 0; i < policy.portLevelSettings().size(); i++) {
      PortTrafficPolicy port = policy.portLevelSettings().get(i);
      String portPath = path + ".portLevelSettings[" + i + "]";
      if (port.port() == null) {
        findings.error(portPath + ".port", "Required value: port must be specified for port-level settings");
      } else {
        Ports.check(port.port().number(), portPath + ".port.number", findings);
        if (!ports.add(port.port().number())) {
          findings.error(portPath + ".port.number", "Duplicate value: " + port.port().number());
        }
      }
      if (port.loadBalancer() == null && port.connectionPool() == null && port.outlierDetection() == null
          && port.tls() == null) {
        findings.error(portPath, "port traffic policy must have at least one field");
      }
      checkLoadBalancer(port.loadBalancer(), portPath + ".loadBalancer", findings);
      ConnectionPools.check(port.connectionPool(), portPath + ".connectionPool", findings);
      checkOutlierDetection(port.outlierDetection(), portPath + ".outlierDetection", findings);
      checkTls(port.tls(), portPath + ".tls", findings);
    }
  }

  private static void checkLoadBalancer(LoadBalancerSettings lb, String path, Findings findings) {
    if (lb == null) {
      return;
    }
    if (lb.consistentHash() != null && findings.present(path + ".simple")) {
      findings.error(path, "only one of simple or consistentHash may be set");
    }
    checkConsistentHash(lb.consistentHash(), path + ".consistentHash", findings);
    checkLocality(lb.localityLbSetting(), path + ".localityLbSetting", findings);
    checkZoneAware(lb.zoneAwareLbSetting(), path + ".zoneAwareLbSetting", findings);
    if (lb.localityLbSetting() != null && lb.zoneAwareLbSetting() != null) {
      findings.error(path, "only one of localityLbSetting or zoneAwareLbSetting may be set");
    }
    WarmupConfiguration warmup = lb.warmup();
    if (warmup != null) {
      String warmupPath = path + ".warmup";
      if (warmup.duration() == null) {
        findings.required(warmupPath + ".duration");
      } else {
        Durations.checkAtLeastMillisecond(warmup.duration(), warmupPath + ".duration", findings);
      }
      if (warmup.minimumPercent() != null && (warmup.minimumPercent() < 0 || warmup.minimumPercent() > 100)) {
        findings.error(warmupPath + ".minimumPercent", "Invalid value: " + warmup.minimumPercent()
            + ": must be between 0 and 100");
      }
      if (warmup.aggression() != null && warmup.aggression() < 0) {
        findings.error(warmupPath + ".aggression", "Invalid value: " + warmup.aggression()
            + ": must be greater than or equal to 0");
      }
      if (lb.warmupDurationSecs() != null) {
        findings.error(path, "only one of warmup and warmupDurationSecs may be set");
      }
    }
    boolean warms = warmup != null || lb.warmupDurationSecs() != null;
    if (warms && (lb.consistentHash() != null || (lb.simple() != SimpleLB.UNSPECIFIED
        && lb.simple() != SimpleLB.ROUND_ROBIN && lb.simple() != SimpleLB.LEAST_REQUEST))) {
      findings.error(path, "warmup is only supported with ROUND_ROBIN and LEAST_REQUEST load balancers");
    }
    Durations.checkAtLeastMillisecond(lb.warmupDurationSecs(), path + ".warmupDurationSecs", findings);
  }

  private static void checkConsistentHash(ConsistentHashLB hash, String path, Findings findings) {
    if (hash == null) {
      return;
    }
    int keys = (hash.httpHeaderName() != null ? 1 : 0) + (hash.httpCookie() != null ? 1 : 0)
        + (hash.useSourceIp() ? 1 : 0) + (hash.httpQueryParameterName() != null ? 1 : 0);
    if (keys > 1) {
      findings.error(path, "only one of httpHeaderName, httpCookie, useSourceIp or httpQueryParameterName may be set");
    }
    if (hash.httpHeaderName() != null && hash.httpHeaderName().isEmpty()) {
      findings.error(path + ".httpHeaderName", "header name required for consistent hash");
    }
    if (hash.httpCookie() != null) {
      if (hash.httpCookie().name().isEmpty()) {
        findings.required(path + ".httpCookie.name");
      }
      if (hash.httpCookie().ttl() != null && hash.httpCookie().ttl().isNegative()) {
        findings.error(path + ".httpCookie.ttl", "ttl must be non-negative");
      }
    }
    if (hash.httpQueryParameterName() != null && hash.httpQueryParameterName().isEmpty()) {
      findings.error(path + ".httpQueryParameterName", "query parameter name required for consistent hash");
    }
    if (hash.ringHash() != null && hash.maglev() != null) {
      findings.error(path, "only one of ringHash or maglev may be set");
    }
    if (hash.maglev() != null && hash.maglev().tableSize() != 0 && !isPrime(hash.maglev().tableSize())) {
      findings.error(path + ".maglev.tableSize", "table size must be a prime number");
    }
  }

  private static boolean isPrime(long value) {
    return value > 1 && BigInteger.valueOf(value).isProbablePrime(30);
  }

  private static void checkLocality(LocalityLoadBalancerSetting locality, String path, Findings findings) {
    if (locality == null) {
      return;
    }
    if (!locality.distribute().isEmpty() && !locality.failover().isEmpty()) {
      findings.error(path, "can not simultaneously specify 'distribute' and 'failover'");
    }
    if (!locality.distribute().isEmpty() && !locality.failoverPriority().isEmpty()) {
      findings.error(path, "can not simultaneously specify 'distribute' and 'failoverPriority'");
    }
    if (!locality.failover().isEmpty()) {
      for (int i = 0; i < locality.failoverPriority().size(); i++) {
        String label = locality.failoverPriority().get(i);
        if (TOPOLOGY_LABELS.contains(label)) {
          findings.error(path + ".failoverPriority[" + i + "]", "can not simultaneously set 'failover' and topology"
              + " label '" + label + "' in 'failover_priority'");
        }
      }
    }
    Set<String> froms = new HashSet<>();
    for (int i = 0; i < locality.distribute().size(); i++) {
      LocalityDistribute distribute = locality.distribute().get(i);
      String itemPath = path + ".distribute[" + i + "]";
      if (!froms.add(distribute.from())) {
        findings.error(itemPath + ".from", "locality " + distribute.from() + " is distributed more than once");
      }
      long total = distribute.to().values().stream().mapToLong(Integer::longValue).sum();
      if (!distribute.to().isEmpty() && total != 100) {
        findings.error(itemPath + ".to", "if 'to' is specified, the sum of weights must be 100 (got " + total + ")");
      }
    }
    for (int i = 0; i < locality.failover().size(); i++) {
      LocalityFailover failover = locality.failover().get(i);
      String itemPath = path + ".failover[" + i + "]";
      if (failover.from().equals(failover.to())) {
        findings.error(itemPath, "locality lb failover settings must specify different regions");
      }
      if (failover.from().contains("/") || failover.to().contains("/")) {
        findings.error(itemPath, "locality lb failover only specify region");
      }
    }
  }

  /** Region, zone and subzone are handled by zone-aware balancing itself, so they cannot be priorities. */
  private static void checkZoneAware(ZoneAwareLoadBalancerSetting zoneAware, String path, Findings findings) {
    if (zoneAware == null) {
      return;
    }
    for (int i = 0; i < zoneAware.failoverPriority().size(); i++) {
      if (TOPOLOGY_LABELS.contains(zoneAware.failoverPriority().get(i))) {
        findings.error(path + ".failoverPriority[" + i + "]", "failoverPriority must not include the topology label "
            + zoneAware.failoverPriority().get(i) + " with zone-aware load balancing");
      }
    }
    for (int i = 0; i < zoneAware.failover().size(); i++) {
      LocalityFailover failover = zoneAware.failover().get(i);
      if (failover.from().equals(failover.to())) {
        findings.error(path + ".failover[" + i + "]", "locality lb failover settings must specify different regions");
      }
    }
    if (zoneAware.minClusterSize() != null && zoneAware.minClusterSize() < 0) {
      findings.error(path + ".minClusterSize", "minClusterSize must be non-negative");
    }
  }

  private static void checkOutlierDetection(OutlierDetection outlier, String path, Findings findings) {
    if (outlier == null) {
      return;
    }
    if (outlier.consecutiveErrors() < 0 || negative(outlier.consecutive5xxErrors())
        || negative(outlier.consecutiveGatewayErrors()) || negative(outlier.consecutiveLocalOriginFailures())) {
      findings.error(path, "outlier detection consecutive errors cannot be negative");
    }
    Durations.checkAtLeastMillisecond(outlier.interval(), path + ".interval", findings);
    Durations.checkAtLeastMillisecond(outlier.baseEjectionTime(), path + ".baseEjectionTime", findings);
    if (outlier.maxEjectionPercent() < 0 || outlier.maxEjectionPercent() > 100) {
      findings.error(path + ".maxEjectionPercent", "max ejection percent must be in range [0, 100]");
    }
    if (outlier.minHealthPercent() < 0 || outlier.minHealthPercent() > 100) {
      findings.error(path + ".minHealthPercent", "minimum health percent must be in range [0, 100]");
    }
    for (int i = 0; i < outlier.outlierDetectionHttpErrorCodes().size(); i++) {
      int code = outlier.outlierDetectionHttpErrorCodes().get(i);
      if (code < 100 || code > 599) {
        findings.error(path + ".outlierDetectionHttpErrorCodes[" + i + "]", "HTTP status " + code
            + " is not in range 100-599");
      }
    }
  }

  private static boolean negative(Integer value) {
    return value != null && value < 0;
  }

  static void checkTls(ClientTLSSettings tls, String path, Findings findings) {
    if (tls == null) {
      return;
    }
    if (tls.mode() == ClientTLSMode.ISTIO_MUTUAL) {
      if (!tls.clientCertificate().isEmpty() || !tls.privateKey().isEmpty() || !tls.caCertificates().isEmpty()
          || !tls.credentialName().isEmpty() || !tls.caCrl().isEmpty()) {
        findings.error(path, "ISTIO_MUTUAL TLS cannot have associated client certificate, private key, CA certificates,"
            + " CRL or credential name");
      }
      return;
    }
    if (tls.mode() == ClientTLSMode.MUTUAL && tls.credentialName().isEmpty()) {
      if (tls.clientCertificate().isEmpty()) {
        findings.error(path + ".clientCertificate", "client certificate required for mutual tls");
      }
      if (tls.privateKey().isEmpty()) {
        findings.error(path + ".privateKey", "private key required for mutual tls");
      }
    }
    if (Boolean.TRUE.equals(tls.insecureSkipVerify())
        && (!tls.caCertificates().isEmpty() || !tls.subjectAltNames().isEmpty())) {
      findings.error(path, "cannot specify CaCertificates or SubjectAltNames when InsecureSkipVerify is set");
    }
  }

  private static void checkTunnel(TunnelSettings tunnel, String path, Findings findings) {
    if (tunnel == null) {
      return;
    }
    if (!tunnel.protocol().isEmpty() && !tunnel.protocol().equals("CONNECT") && !tunnel.protocol().equals("POST")) {
      findings.error(path + ".protocol", "Unsupported value: \"" + tunnel.protocol()
          + "\": supported values: \"CONNECT\", \"POST\"");
    }
    if (tunnel.targetHost().isEmpty()) {
      findings.required(path + ".targetHost");
    } else if (!IpAddresses.isIp(tunnel.targetHost())) {
      String problem = DomainNames.checkDomain(tunnel.targetHost(), tunnel.targetHost());
      if (problem != null) {
        findings.error(path + ".targetHost", problem);
      }
    }
    Ports.check(tunnel.targetPort(), path + ".targetPort", findings);
  }
}
