package dev.weft.proxy.tls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.weft.proxy.Commands;
import dev.weft.proxy.config.ConfigException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Private keys in the encodings openssl writes and Envoy reads, parsed without an ASN.1 library and checked against
 * a certificate openssl made for them; what the proxy cannot read is a config error naming the field.
 */
class PemTest {

    private static final String FIELD = "tls_certificates[0].private_key";

    @TempDir
    Path dir;

    /** Runs openssl in the test's directory, failing the test if it is missing or fails. */
    private void openssl(String... args) {
        List<String> command = new ArrayList<>(List.of("openssl"));
        command.addAll(List.of(args));
        Commands.Result result = Commands.run(command.stream()
                .map(a -> a.startsWith("@") ? dir.resolve(a.substring(1)).toString() : a).toList());
        assertThat(result.exit()).as("%s: %s", command, result.output()).isZero();
    }

    private byte[] read(String name) throws Exception {
        return Files.readAllBytes(dir.resolve(name));
    }

    /** Reads {@code key.pem} and checks it signs for the self-signed certificate openssl makes from the same file. */
    private PrivateKey readsAndMatchesItsCertificate() throws Exception {
        openssl("req", "-new", "-x509", "-key", "@key.pem", "-subj", "/CN=pem-test", "-days", "1", "-out", "@cert.pem");
        PrivateKey key = Pem.privateKey(read("key.pem"), FIELD);
        X509Certificate certificate = Pem.certificates(read("cert.pem"), "certificate_chain").getFirst();
        Pem.requireMatchingKey(key, certificate, FIELD);
        return key;
    }

    @Test
    void pkcs8EcAndRsaKeys() throws Exception {
        openssl("genpkey", "-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:P-256", "-out", "@key.pem");
        assertThat(new String(read("key.pem"), StandardCharsets.US_ASCII)).startsWith("-----BEGIN PRIVATE KEY-----");
        assertThat(readsAndMatchesItsCertificate().getAlgorithm()).isEqualTo("EC");

        openssl("genpkey", "-algorithm", "RSA", "-pkeyopt", "rsa_keygen_bits:2048", "-out", "@key.pem");
        assertThat(readsAndMatchesItsCertificate().getAlgorithm()).isEqualTo("RSA");
    }

    @Test
    void pkcs8Ed25519Key() throws Exception {
        openssl("genpkey", "-algorithm", "ed25519", "-out", "@key.pem");
        assertThat(readsAndMatchesItsCertificate().getAlgorithm()).isIn("Ed25519", "EdDSA");
    }

    @Test
    void pkcs1RsaKey() throws Exception {
        openssl("genrsa", "-traditional", "-out", "@key.pem", "2048");
        assertThat(new String(read("key.pem"), StandardCharsets.US_ASCII)).startsWith("-----BEGIN RSA PRIVATE KEY-----");
        assertThat(readsAndMatchesItsCertificate().getAlgorithm()).isEqualTo("RSA");
    }

    @Test
    void sec1EcKeysOnP256AfterTheirParametersBlockAndOnP384() throws Exception {
        openssl("ecparam", "-name", "prime256v1", "-genkey", "-out", "@key.pem");
        assertThat(new String(read("key.pem"), StandardCharsets.US_ASCII)).startsWith("-----BEGIN EC PARAMETERS-----")
                .contains("-----BEGIN EC PRIVATE KEY-----");
        assertThat(readsAndMatchesItsCertificate()).isInstanceOfSatisfying(java.security.interfaces.ECPrivateKey.class,
                k -> assertThat(k.getParams().getOrder().bitLength()).isEqualTo(256));

        openssl("ecparam", "-name", "secp384r1", "-genkey", "-noout", "-out", "@key.pem");
        assertThat(readsAndMatchesItsCertificate()).isInstanceOfSatisfying(java.security.interfaces.ECPrivateKey.class,
                k -> assertThat(k.getParams().getOrder().bitLength()).isEqualTo(384));
    }

    @Test
    void aKeyForAnotherCertificateIsRefused() throws Exception {
        openssl("genpkey", "-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:P-256", "-out", "@key.pem");
        readsAndMatchesItsCertificate();
        openssl("genpkey", "-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:P-256", "-out", "@other.pem");
        PrivateKey other = Pem.privateKey(read("other.pem"), FIELD);
        X509Certificate certificate = Pem.certificates(read("cert.pem"), "certificate_chain").getFirst();

        assertThatThrownBy(() -> Pem.requireMatchingKey(other, certificate, FIELD))
                .isInstanceOf(ConfigException.class).hasMessageStartingWith(FIELD + ": the private key does not match");
    }

    @Test
    void encryptedKeysAreRefusedNamingTheField() throws Exception {
        openssl("genpkey", "-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:P-256", "-aes256", "-pass", "pass:secret",
                "-out", "@pkcs8.pem");
        openssl("ecparam", "-name", "prime256v1", "-genkey", "-noout", "-out", "@sec1.pem");
        openssl("ec", "-in", "@sec1.pem", "-aes256", "-passout", "pass:secret", "-out", "@sec1-encrypted.pem");

        for (String file : List.of("pkcs8.pem", "sec1-encrypted.pem")) {
            byte[] pem = read(file);
            assertThatThrownBy(() -> Pem.privateKey(pem, FIELD)).isInstanceOf(ConfigException.class)
                    .hasMessage(FIELD + ": encrypted private keys are not supported");
        }
    }

    @Test
    void garbageIsAConfigErrorNamingTheField() {
        byte[] notPem = "hello".getBytes(StandardCharsets.US_ASCII);
        assertThatThrownBy(() -> Pem.privateKey(notPem, FIELD)).isInstanceOf(ConfigException.class)
                .hasMessage(FIELD + ": no PEM private key found");

        byte[] notDer = Pem.encode("PRIVATE KEY", "garbage".getBytes(StandardCharsets.US_ASCII))
                .getBytes(StandardCharsets.US_ASCII);
        assertThatThrownBy(() -> Pem.privateKey(notDer, FIELD)).isInstanceOf(ConfigException.class)
                .hasMessageStartingWith(FIELD + ": not a valid PRIVATE KEY (");

        byte[] unknownAlgorithm = Pem.encode("PRIVATE KEY", Der.sequence(Der.integer(0),
                Der.sequence(Der.oid("1.3.101.111")), Der.octetString(new byte[34]))).getBytes(StandardCharsets.US_ASCII);
        assertThatThrownBy(() -> Pem.privateKey(unknownAlgorithm, FIELD)).isInstanceOf(ConfigException.class)
                .hasMessage(FIELD + ": not a valid PRIVATE KEY (unsupported key algorithm 1.3.101.111)");
    }

    @Test
    void sec1KeysMustNameTheirCurve() throws Exception {
        byte[] noParameters = Pem.encode("EC PRIVATE KEY",
                Der.sequence(Der.integer(1), Der.octetString(new byte[32]))).getBytes(StandardCharsets.US_ASCII);
        assertThatThrownBy(() -> Pem.privateKey(noParameters, FIELD)).isInstanceOf(ConfigException.class)
                .hasMessageStartingWith(FIELD + ": EC PRIVATE KEY names no curve");

        openssl("ecparam", "-name", "prime256v1", "-genkey", "-noout", "-param_enc", "explicit", "-out", "@key.pem");
        byte[] explicit = read("key.pem");
        assertThatThrownBy(() -> Pem.privateKey(explicit, FIELD)).isInstanceOf(ConfigException.class)
                .hasMessageStartingWith(FIELD + ": EC private key with explicit curve parameters");
    }
}
