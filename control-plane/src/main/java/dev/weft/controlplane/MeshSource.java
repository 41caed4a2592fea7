package dev.weft.controlplane;

import dev.weft.controlplane.ca.WorkloadTokens;
import dev.weft.controlplane.config.ConfigStore;
import dev.weft.controlplane.config.CredentialSource;
import dev.weft.controlplane.registry.WorkloadSource;
import java.util.Optional;

/**
 * A platform weftd serves (a Kubernetes cluster): config laid beneath the applied config, above the watched
 * directory, workloads the services select, and the TLS credentials {@code credentialName} names (over the
 * credentials directory's). Started by its maker; {@link Weftd} closes it when it closes.
 */
public interface MeshSource extends AutoCloseable {

    ConfigStore config();

    WorkloadSource workloads();

    /** The platform's TLS credentials (a cluster's Secrets); none by default. */
    default CredentialSource credentials() {
        return CredentialSource.NONE;
    }

    /**
     * How the platform vouches for its workloads' bearer tokens (a cluster's service-account tokens), naming them in
     * {@code trustDomain}; with it, weftd's CA and ADS stream admission identify callers by it. None by default.
     */
    default Optional<WorkloadTokens> workloadTokens(String trustDomain) {
        return Optional.empty();
    }

    /** Stops watching the platform. */
    @Override
    void close();
}
