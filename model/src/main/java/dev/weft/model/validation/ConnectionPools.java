package dev.weft.model.validation;

import dev.weft.model.networking.ConnectionPoolSettings;
import dev.weft.model.networking.H2UpgradePolicy;
import dev.weft.model.networking.HTTPSettings;
import dev.weft.model.networking.TCPSettings;

/** ConnectionPoolSettings rules, shared by DestinationRule and Sidecar. */
final class ConnectionPools {
  private ConnectionPools() {}

  static void check(ConnectionPoolSettings pool, String path, Findings findings) {
    if (pool == null) {
      return;
    }
    if (pool.tcp() == null && pool.http() == null) {
      findings.error(path, "connection pool must have at least one field");
    }
    TCPSettings tcp = pool.tcp();
    if (tcp != null) {
      nonNegative(tcp.maxConnections(), path + ".tcp.maxConnections", "max connections", findings);
      Durations.checkAtLeastMillisecond(tcp.connectTimeout(), path + ".tcp.connectTimeout", findings);
      Durations.checkAtLeastMillisecond(tcp.maxConnectionDuration(), path + ".tcp.maxConnectionDuration", findings);
      Durations.checkZeroOrAtLeastMillisecond(tcp.idleTimeout(), path + ".tcp.idleTimeout", findings);
      if (tcp.tcpKeepalive() != null) {
        Durations.checkAtLeastMillisecond(tcp.tcpKeepalive().time(), path + ".tcp.tcpKeepalive.time", findings);
        Durations.checkAtLeastMillisecond(tcp.tcpKeepalive().interval(), path + ".tcp.tcpKeepalive.interval", findings);
      }
    }
    HTTPSettings http = pool.http();
    if (http != null) {
      nonNegative(http.http1MaxPendingRequests(), path + ".http.http1MaxPendingRequests", "max pending requests", findings);
      nonNegative(http.http2MaxRequests(), path + ".http.http2MaxRequests", "max requests", findings);
      nonNegative(http.maxRequestsPerConnection(), path + ".http.maxRequestsPerConnection", "max requests per connection", findings);
      nonNegative(http.maxRetries(), path + ".http.maxRetries", "max retries", findings);
      nonNegative(http.maxConcurrentStreams(), path + ".http.maxConcurrentStreams", "max concurrent streams", findings);
      Durations.checkZeroOrAtLeastMillisecond(http.idleTimeout(), path + ".http.idleTimeout", findings);
      if (http.useClientProtocol() && http.h2UpgradePolicy() == H2UpgradePolicy.UPGRADE) {
        findings.error(path + ".http.useClientProtocol", "use client protocol must not be true when h2UpgradePolicy is UPGRADE");
      }
      if (http.http2KeepAlive() != null) {
        Durations.checkAtLeastMillisecond(http.http2KeepAlive().interval(), path + ".http.http2KeepAlive.interval", findings);
        Durations.checkAtLeastMillisecond(http.http2KeepAlive().timeout(), path + ".http.http2KeepAlive.timeout", findings);
      }
    }
  }

  private static void nonNegative(int value, String path, String what, Findings findings) {
    if (value < 0) {
      findings.error(path, what + " must be non-negative, got " + value);
    }
  }
}
