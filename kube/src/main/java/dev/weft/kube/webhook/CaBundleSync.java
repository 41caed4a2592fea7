package dev.weft.kube.webhook;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.MutatingWebhookConfiguration;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.ValidatingWebhookConfiguration;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.WebhookClientConfig;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Objects;
import java.util.function.BooleanSupplier;
import java.util.logging.Logger;
import java.util.stream.Stream;

/**
 * Keeps the {@code caBundle} of weftd's webhook configurations (the injector's MutatingWebhookConfiguration, the
 * validator's ValidatingWebhookConfiguration, by name) equal to weftd's root, as istiod's webhook controller does:
 * the API server then trusts the certificate weftd serves its webhooks with. Each configuration is watched, so one
 * (re)installed later, or edited back, is patched as soon as it is seen; one already right is not written. Only the
 * leading replica writes, as istiod's webhook patcher is leader-elected; a new leader syncs both ({@link #syncAll()}).
 */
public final class CaBundleSync implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(CaBundleSync.class.getName());

    private final KubernetesClient client;
    private final String caBundle;
    private final BooleanSupplier leading;
    private final SharedIndexInformer<MutatingWebhookConfiguration> injector;
    private final SharedIndexInformer<ValidatingWebhookConfiguration> validator;

    private CaBundleSync(KubernetesClient client, String rootPem, String injector, String validator,
            BooleanSupplier leading) {
        this.client = client;
        this.caBundle = Base64.getEncoder().encodeToString(rootPem.getBytes(StandardCharsets.UTF_8));
        this.leading = leading;
        var admission = client.admissionRegistration().v1();
        this.injector = admission.mutatingWebhookConfigurations().withName(injector)
                .inform(handler(this::syncMutating));
        this.validator = admission.validatingWebhookConfigurations().withName(validator)
                .inform(handler(this::syncValidating));
    }

    /**
     * Starts watching the two configurations (either may not exist yet) and patches them when they differ and
     * {@code leading} says this replica writes.
     */
    public static CaBundleSync start(KubernetesClient client, String rootPem, String injectorConfiguration,
            String validatorConfiguration, BooleanSupplier leading) {
        return new CaBundleSync(client, rootPem, injectorConfiguration, validatorConfiguration, leading);
    }

    /** Patches both configurations as seen: what this replica skipped while another led. */
    public void syncAll() {
        injector.getStore().list().forEach(this::syncMutating);
        validator.getStore().list().forEach(this::syncValidating);
    }

    /** The base64 PEM root the configurations are given. */
    public String caBundle() {
        return caBundle;
    }

    private synchronized void syncMutating(MutatingWebhookConfiguration seen) {
        if (leading.getAsBoolean() && stale(seen.getWebhooks().stream().map(w -> w.getClientConfig()))) {
            client.admissionRegistration().v1().mutatingWebhookConfigurations().withName(seen.getMetadata().getName())
                    .edit(c -> {
                        c.getWebhooks().forEach(w -> bundle(w.getClientConfig()));
                        return c;
                    });
            logged(seen);
        }
    }

    private synchronized void syncValidating(ValidatingWebhookConfiguration seen) {
        if (leading.getAsBoolean() && stale(seen.getWebhooks().stream().map(w -> w.getClientConfig()))) {
            client.admissionRegistration().v1().validatingWebhookConfigurations()
                    .withName(seen.getMetadata().getName()).edit(c -> {
                        c.getWebhooks().forEach(w -> bundle(w.getClientConfig()));
                        return c;
                    });
            logged(seen);
        }
    }

    private boolean stale(Stream<WebhookClientConfig> configs) {
        return configs.anyMatch(c -> c != null && !Objects.equals(c.getCaBundle(), caBundle));
    }

    private void bundle(WebhookClientConfig config) {
        if (config != null) {
            config.setCaBundle(caBundle);
        }
    }

    private static void logged(HasMetadata configuration) {
        LOG.info("caBundle of " + configuration.getKind() + " " + configuration.getMetadata().getName()
                + " set to weftd's root");
    }

    private static <T> ResourceEventHandler<T> handler(java.util.function.Consumer<T> sync) {
        return new ResourceEventHandler<>() {
            @Override
            public void onAdd(T object) {
                sync.accept(object);
            }

            @Override
            public void onUpdate(T before, T after) {
                sync.accept(after);
            }

            @Override
            public void onDelete(T object, boolean unknownFinalState) {
                // Nothing to keep in sync until it is installed again.
            }
        };
    }

    @Override
    public void close() {
        injector.close();
        validator.close();
    }
}
