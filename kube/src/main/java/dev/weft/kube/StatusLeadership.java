package dev.weft.kube;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.extended.leaderelection.LeaderCallbacks;
import io.fabric8.kubernetes.client.extended.leaderelection.LeaderElectionConfigBuilder;
import io.fabric8.kubernetes.client.extended.leaderelection.resourcelock.LeaseLock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BooleanSupplier;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Which weftd replica writes to the cluster: all replicas serve xDS, but only the one holding the Lease
 * {@value #LEASE} writes status and Events, the namespaces' {@code istio-ca-root-cert} and the webhooks'
 * {@code caBundle}, as istiod elects one replica for each of these controllers. A replica that becomes the leader
 * runs every writer's catch-up ({@link #onEachLead}), so what the previous leader had not written yet is written.
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
    private final List<Runnable> onLead = new CopyOnWriteArrayList<>();

    private StatusLeadership(boolean leading) {
        this.leading = leading;
    }

    /** Joins the election in {@code namespace} as {@code identity}; {@code onLeading} runs each time it wins. */
    public static StatusLeadership join(KubernetesClient client, String namespace, String identity, Timing timing,
            Runnable onLeading) {
        StatusLeadership leadership = new StatusLeadership(false);
        leadership.onLead.add(onLeading);
        leadership.election = client.leaderElector().withConfig(new LeaderElectionConfigBuilder()
                .withName("weftd")
                .withLock(new LeaseLock(namespace, LEASE, identity))
                .withLeaseDuration(timing.leaseDuration())
                .withRenewDeadline(timing.renewDeadline())
                .withRetryPeriod(timing.retryPeriod())
                .withReleaseOnCancel(true)
                .withLeaderCallbacks(new LeaderCallbacks(() -> {
                    LOG.info(() -> identity + " leads: it writes status, Events, root certificates and caBundles");
                    leadership.leading = true;
                    leadership.onLead.forEach(StatusLeadership::runLogged);
                }, () -> {
                    LOG.info(() -> identity + " no longer leads");
                    leadership.leading = false;
                }, leader -> LOG.fine(() -> "status leader: " + leader)))
                .build()).build().start();
        return leadership;
    }

    /**
     * Runs {@code catchUp} each time this replica wins the Lease, and now when it leads already (a replica alone,
     * always); a writer gated on {@link #getAsBoolean()} catches up there with what it skipped while following.
     */
    public void onEachLead(Runnable catchUp) {
        if (election != null) {
            onLead.add(catchUp);
        }
        if (leading) {
            runLogged(catchUp);
        }
    }

    private static void runLogged(Runnable catchUp) {
        try {
            catchUp.run();
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "catching up as the new leader failed", e);
        }
    }

    /** Whether this replica writes to the cluster now. */
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
