package dev.weft.cli.local;

/**
 * How an app's traffic reaches its sidecar: {@link #NONE}, explicit (the app uses the sidecar as its HTTP proxy
 * and egress listeners), or {@link #IPTABLES}, transparent (each workload in its own network namespace, where
 * istio-iptables rules redirect its TCP traffic to the sidecar).
 */
public enum Capture { NONE, IPTABLES }
