package dev.weft.proxy.agent;

/**
 * The pod's proxy ports, Istio's: admin 15000 (loopback only), health 15021 ({@code /healthz/ready}), Envoy's
 * Prometheus 15090, and the agent's status port 15020 (app probes, merged metrics; 0: none). Tests move them.
 */
public record AgentPorts(int admin, int health, int prometheus, int status) {

    public static final AgentPorts ISTIO = new AgentPorts(15000, 15021, 15090, 15020);

    public AgentPorts withStatus(int port) {
        return new AgentPorts(admin, health, prometheus, port);
    }

    public AgentPorts withAdmin(int port) {
        return new AgentPorts(port, health, prometheus, status);
    }
}
