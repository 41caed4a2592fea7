package dev.weft.kube;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.extended.leaderelection.LeaderCallbacks;
import io.fabric8.kubernetes.client.extended.leaderelection.LeaderElectionConfigBuilder;
import io.fabric8.kubernetes.client.extended.leaderelection.resourcelock.LeaseLock;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.function.BooleanSupplier;
import java.util.logging.Logger;

/**
 * Which weftd replica writes status and Events: all replicas serve xDS, but only the one holding the Lease
 * {@value #LEASE} writes, as istiod's replicas elect one. A replica that becomes the leader reports every object it
 * holds again, so what the previous leader had not written yet is written.
 */
public final class StatusLeadership implements BooleanSupplier, AutoCloseable {

    public static final String LEASE = "weftd-status-leader";
    private static final Logger LOG = Logger.getLogger(StatusLeadership.class.getName());

    /** How long a lease lasts without renewal, how long the leader tries to renew it, and how often others look. */
    public record Timing(Duration leaseDuration, Duration renewDeadline, Duration retryPeriod) {
        /** Kubernetes' controllers' defaults (client-go's leader election). */
        public static final Timing DEFAULT = new Timing(Duration.ofSeconds(15), Duration.ofSeconds(10),
                Duration.ofSeconds(2));
    }

    /** Where a replica takes part in the election and as whom. */
    public record Election(String namespace, String identity, Timing timing) {
    }

    /** A single replica, or a test without a cluster's Lease: always the leader. */
    public static final StatusLeadership ALONE = new StatusLeadership(true);

    /** A replica that has not joined the election yet: it writes nothing. */
    static final StatusLeadership NOT_ELECTED = new StatusLeadership(false);

    private volatile CompletableFuture<?> election;
    private volatile boolean leading;

    private StatusLeadership(boolean leading) {
        this.leading = leading;
    }

    /** Joins the election in {@code namespace} as {@code identity}; {@code onLeading} runs each time it wins. */
    public static StatusLeadership join(KubernetesClient client, String namespace, String identity, Timing timing,
            Runnable onLeading) {
        StatusLeadership leadership = new StatusLeadership(false);
        leadership.election = client.leaderElector().withConfig(new LeaderElectionConfigBuilder()
                .withName("weftd")
                .withLock(new LeaseLock(namespace, LEASE, identity))
                .withLeaseDuration(timing.leaseDuration())
                .withRenewDeadline(timing.renewDeadline())
                .withRetryPeriod(timing.retryPeriod())
                .withReleaseOnCancel(true)
                .withLeaderCallbacks(new LeaderCallbacks(() -> {
                    LOG.info(() -> identity + " leads: it writes status and Events");
                    leadership.leading = true;
                    onLeading.run();
                }, () -> {
                    LOG.info(() -> identity + " no longer leads");
                    leadership.leading = false;
                }, leader -> LOG.fine(() -> "status leader: " + leader)))
                .build()).build().start();
        return leadership;
    }

    /** Whether this replica writes status now. */
    @Override
    public boolean getAsBoolean() {
        return leading;
    }

    /** Leaves the election, giving the Lease up for another replica. */
    @Override
    public void close() {
        if (election != null) {
            election.cancel(true);
            leading = false;
        }
    }
}
