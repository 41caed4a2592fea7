package dev.weft.proxy.identity;

import dev.weft.api.ca.IstioCaMessages;
import dev.weft.proxy.tls.Pem;
import dev.weft.proxy.xds.ControlPlaneTransport;
import io.envoyproxy.envoy.config.core.v3.DataSource;
import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.CertificateValidationContext;
import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.Secret;
import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.TlsCertificate;
import io.grpc.CallOptions;
import io.grpc.ManagedChannel;
import io.grpc.stub.ClientCalls;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.logging.Logger;

/**
 * Keeps this proxy's workload certificate (the Istio agent's job): makes a key pair here (the private key never
 * leaves the process), sends a CSR for the workload's SPIFFE ID to the CA with the workload's token, and hands the
 * result to the proxy as the SDS secrets Istio's config names: {@code default} (the certificate chain and key) and
 * {@code ROOTCA} (the root to verify peers with). It renews at half of the time left, so new connections get the
 * new certificate while open ones keep theirs; a failed request is retried after a back-off. The CA is reached over
 * the control-plane transport the ADS channel uses (TLS verified against the mesh root, when the bootstrap says so).
 */
public final class WorkloadCertificates implements AutoCloseable {

    public static final String DEFAULT_SECRET = "default";
    public static final String ROOT_SECRET = "ROOTCA";
    private static final Logger LOG = Logger.getLogger(WorkloadCertificates.class.getName());
    private static final Duration FIRST_RETRY = Duration.ofSeconds(1);
    private static final Duration MAX_RETRY = Duration.ofSeconds(30);
    private static final Duration MIN_RENEWAL = Duration.ofSeconds(1);

    private final WorkloadIdentity identity;
    private final ManagedChannel channel;
    private final Consumer<List<Secret>> install;
    private final ScheduledExecutorService scheduler;
    private final Clock clock;
    private Duration retry = FIRST_RETRY;
    private volatile Instant expiry;

    /**
     * @param transport how the CA is reached, as the ADS server is
     * @param install gives the proxy its new secrets (called on {@code scheduler})
     */
    public WorkloadCertificates(WorkloadIdentity identity, ControlPlaneTransport transport,
            Consumer<List<Secret>> install, ScheduledExecutorService scheduler, Clock clock) {
        this.identity = identity;
        this.install = install;
        this.scheduler = scheduler;
        this.clock = clock;
        this.channel = transport.channel(identity.caTarget());
    }

    /** Asks for the first certificate now; renewals follow by themselves. */
    public void start() {
        scheduler.execute(this::renew);
    }

    /** When the certificate in use expires, or null before the first one arrived. */
    public Instant expiry() {
        return expiry;
    }

    private void renew() {
        try {
            KeyPair key = newKeyPair();
            List<String> chain = request(CertificateRequest.pem(key, identity.spiffeId()));
            X509Certificate leaf = parse(chain.getFirst());
            install.accept(secrets(chain, key));
            expiry = leaf.getNotAfter().toInstant();
            retry = FIRST_RETRY;
            Duration left = Duration.between(clock.instant(), expiry);
            Duration next = left.dividedBy(2).compareTo(MIN_RENEWAL) < 0 ? MIN_RENEWAL : left.dividedBy(2);
            scheduler.schedule(this::renew, next.toMillis(), TimeUnit.MILLISECONDS);
        } catch (RuntimeException | IOException | GeneralSecurityException e) {
            LOG.warning("workload certificate for " + identity.spiffeId() + " from " + identity.caTarget()
                    + " failed, retrying in " + retry.toSeconds() + " s: " + e.getMessage());
            scheduler.schedule(this::renew, retry.toMillis(), TimeUnit.MILLISECONDS);
            retry = retry.multipliedBy(2).compareTo(MAX_RETRY) > 0 ? MAX_RETRY : retry.multipliedBy(2);
        }
    }

    private List<String> request(String csr) throws IOException {
        IstioCaMessages.Response response = ClientCalls.blockingUnaryCall(channel,
                IstioCaMessages.CREATE_CERTIFICATE, CallOptions.DEFAULT.withDeadlineAfter(10, TimeUnit.SECONDS)
                        .withCallCredentials(new BearerTokenFile(identity.tokenFile())),
                new IstioCaMessages.Request(csr, identity.ttl().toSeconds()));
        if (response.certChain().isEmpty()) {
            throw new IOException("the CA answered with no certificate");
        }
        return response.certChain();
    }

    /**
     * The secrets Istio's listeners and clusters name: {@code default} serves the chain without its root, and
     * {@code ROOTCA} is the chain's last certificate.
     */
    static List<Secret> secrets(List<String> chain, KeyPair key) {
        String served = String.join("", chain.size() > 1 ? chain.subList(0, chain.size() - 1) : chain);
        Secret certificate = Secret.newBuilder().setName(DEFAULT_SECRET).setTlsCertificate(TlsCertificate.newBuilder()
                .setCertificateChain(DataSource.newBuilder().setInlineString(served))
                .setPrivateKey(DataSource.newBuilder().setInlineString(
                        Pem.encode("PRIVATE KEY", key.getPrivate().getEncoded())))).build();
        Secret root = Secret.newBuilder().setName(ROOT_SECRET).setValidationContext(CertificateValidationContext
                .newBuilder().setTrustedCa(DataSource.newBuilder().setInlineString(chain.getLast()))).build();
        return List.of(certificate, root);
    }

    private static KeyPair newKeyPair() throws GeneralSecurityException {
        KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
        g.initialize(new ECGenParameterSpec("secp256r1"));
        return g.generateKeyPair();
    }

    private static X509Certificate parse(String pem) throws GeneralSecurityException {
        return (X509Certificate) CertificateFactory.getInstance("X.509")
                .generateCertificate(new ByteArrayInputStream(pem.getBytes(StandardCharsets.US_ASCII)));
    }

    @Override
    public void close() {
        channel.shutdownNow();
    }
}
