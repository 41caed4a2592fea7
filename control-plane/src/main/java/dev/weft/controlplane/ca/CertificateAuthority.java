package dev.weft.controlplane.ca;

import java.io.IOException;
import java.io.StringReader;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Optional;
import org.bouncycastle.asn1.ASN1Encodable;
import org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.Extensions;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.openssl.jcajce.JcaPKCS8Generator;
import org.bouncycastle.operator.ContentSigner;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.operator.jcajce.JcaContentVerifierProviderBuilder;
import org.bouncycastle.pkcs.PKCS10CertificationRequest;
import org.bouncycastle.pkcs.PKCSException;

/**
 * Citadel's role in weftd: signs workload certificates whose only subject alternative name is the caller's SPIFFE
 * ID. Its signing key is either a plugged-in CA in Istio's {@code cacerts} layout ({@code ca-cert.pem},
 * {@code ca-key.pem}, {@code root-cert.pem}, optional {@code cert-chain.pem}) or a self-signed root made on first
 * start and kept in the data directory ({@code ca/root-cert.pem}, {@code ca/root-key.pem}, mode 0600). The
 * private keys of workloads never come here: a workload sends a CSR and gets a certificate chain back.
 */
public final class CertificateAuthority {

    public static final Duration DEFAULT_WORKLOAD_TTL = Duration.ofHours(24);
    /** The longest certificate a workload may ask for (Istio's max workload certificate TTL). */
    public static final Duration MAX_WORKLOAD_TTL = Duration.ofDays(90);
    private static final Duration SELF_SIGNED_ROOT_TTL = Duration.ofDays(3650);
    /** Certificates start a little in the past, so a peer whose clock runs behind accepts them at once. */
    private static final Duration BACKDATE = Duration.ofMinutes(1);

    private final PrivateKey signingKey;
    private final X509Certificate signingCert;
    /** PEM certificates from the signer up to and including the root, as a response carries them after the leaf. */
    private final List<String> chainPem;
    private final String rootPem;
    private final Clock clock;
    private final SecureRandom random = new SecureRandom();

    private CertificateAuthority(PrivateKey signingKey, X509Certificate signingCert, List<String> chainPem,
            String rootPem, Clock clock) {
        this.signingKey = signingKey;
        this.signingCert = signingCert;
        this.chainPem = List.copyOf(chainPem);
        this.rootPem = rootPem;
        this.clock = clock;
    }

    /**
     * The plugged-in CA in {@code cacerts} if that directory has one, else the self-signed root in
     * {@code dataDir/ca}, made now if it does not exist yet.
     */
    public static CertificateAuthority loadOrCreate(Optional<Path> cacerts, Path dataDir, String trustDomain,
            Clock clock) throws IOException {
        if (cacerts.isPresent() && Files.exists(cacerts.get().resolve("ca-key.pem"))) {
            return plugged(cacerts.get(), clock);
        }
        Path dir = dataDir.resolve("ca");
        Path cert = dir.resolve("root-cert.pem");
        Path key = dir.resolve("root-key.pem");
        if (!Files.exists(cert)) {
            createSelfSignedRoot(dir, trustDomain, clock);
        }
        X509Certificate root = readCertificate(Files.readString(cert));
        return new CertificateAuthority(readKey(Files.readString(key)), root, List.of(pem(root)), pem(root), clock);
    }

    private static CertificateAuthority plugged(Path dir, Clock clock) throws IOException {
        X509Certificate caCert = readCertificate(Files.readString(dir.resolve("ca-cert.pem")));
        PrivateKey caKey = readKey(Files.readString(dir.resolve("ca-key.pem")));
        String root = Files.readString(dir.resolve("root-cert.pem")).strip() + "\n";
        List<String> chain = new ArrayList<>();
        Path chainFile = dir.resolve("cert-chain.pem");
        if (Files.exists(chainFile)) {
            chain.addAll(splitPem(Files.readString(chainFile)));
        } else {
            chain.add(pem(caCert));
        }
        if (!chain.getLast().equals(root)) {
            chain.add(root);
        }
        return new CertificateAuthority(caKey, caCert, chain, root, clock);
    }

    private static void createSelfSignedRoot(Path dir, String trustDomain, Clock clock) throws IOException {
        try {
            KeyPair pair = newKeyPair();
            X500Name subject = new X500Name("O=" + trustDomain + ",CN=weft root CA");
            Instant now = clock.instant();
            X509v3CertificateBuilder b = new JcaX509v3CertificateBuilder(subject, new BigInteger(128, new SecureRandom()),
                    Date.from(now.minus(BACKDATE)), Date.from(now.plus(SELF_SIGNED_ROOT_TTL)), subject, pair.getPublic());
            b.addExtension(Extension.basicConstraints, true, new BasicConstraints(true));
            b.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign));
            b.addExtension(Extension.subjectKeyIdentifier, false,
                    new JcaX509ExtensionUtils().createSubjectKeyIdentifier(pair.getPublic()));
            X509Certificate root = new JcaX509CertificateConverter().getCertificate(b.build(signer(pair.getPrivate())));
            Files.createDirectories(dir);
            writePrivately(dir.resolve("root-key.pem"), pem(new JcaPKCS8Generator(pair.getPrivate(), null).generate()));
            writePrivately(dir.resolve("root-cert.pem"), pem(root));
        } catch (GeneralSecurityException | OperatorCreationException e) {
            throw new IllegalStateException("cannot make the CA's root certificate", e);
        }
    }

    /**
     * Signs a PKCS#10 request (PEM) for {@code caller}. The request must be signed by its own key and ask for
     * exactly one subject alternative name, the caller's SPIFFE ID.
     *
     * @param requested the validity the caller asks for; zero or negative for the default (24 h)
     * @return the PEM chain: the new certificate, then the CA's chain up to the root
     */
    public List<String> sign(String csrPem, SpiffeId caller, Duration requested) throws CertificateRefused {
        PKCS10CertificationRequest csr = parseCsr(csrPem);
        List<String> asked = requestedNames(csr);
        if (!asked.equals(List.of("URI:" + caller.uri()))) {
            throw new CertificateRefused("the CSR asks for " + (asked.isEmpty() ? "no name" : String.join(", ", asked))
                    + ", but the caller is " + caller.uri());
        }
        Duration ttl = requested.isZero() || requested.isNegative() ? DEFAULT_WORKLOAD_TTL
                : requested.compareTo(MAX_WORKLOAD_TTL) > 0 ? MAX_WORKLOAD_TTL : requested;
        try {
            PublicKey key = new JcaPEMKeyConverter().getPublicKey(csr.getSubjectPublicKeyInfo());
            X509Certificate leaf = issue(key, new GeneralNames(
                    new GeneralName(GeneralName.uniformResourceIdentifier, caller.uri())), ttl,
                    KeyPurposeId.id_kp_serverAuth, KeyPurposeId.id_kp_clientAuth);
            List<String> out = new ArrayList<>(chainPem.size() + 1);
            out.add(pem(leaf));
            out.addAll(chainPem);
            return out;
        } catch (GeneralSecurityException | OperatorCreationException | IOException e) {
            throw new CertificateRefused(CertificateRefused.CERT_GEN_ERROR,
                    "the CSR's public key cannot be certified: " + e.getMessage());
        }
    }

    /**
     * weftd's own serving certificate, as istiod's CA issues istiod's: DNS and IP subject alternative names (an
     * entry that is an IP literal becomes an IP SAN), server authentication only.
     *
     * @return the certificate, then the CA's chain up to the root
     */
    public List<X509Certificate> issueServing(PublicKey key, List<String> names, Duration ttl) {
        GeneralName[] sans = names.stream().map(n -> new GeneralName(isIpLiteral(n) ? GeneralName.iPAddress
                : GeneralName.dNSName, n)).toArray(GeneralName[]::new);
        try {
            List<X509Certificate> chain = new ArrayList<>(chainPem.size() + 1);
            chain.add(issue(key, new GeneralNames(sans), ttl, KeyPurposeId.id_kp_serverAuth));
            for (String pem : chainPem) {
                chain.add(readCertificate(pem));
            }
            return chain;
        } catch (GeneralSecurityException | OperatorCreationException | IOException e) {
            throw new IllegalStateException("cannot issue weftd's serving certificate", e);
        }
    }

    private static boolean isIpLiteral(String name) {
        return name.contains(":") || name.matches("[0-9.]+");
    }

    /** A leaf with an empty subject: the SAN carries the identity and must be critical (RFC 5280 4.2.1.6). */
    private X509Certificate issue(PublicKey key, GeneralNames sans, Duration ttl, KeyPurposeId... purposes)
            throws GeneralSecurityException, OperatorCreationException, IOException {
        Instant now = clock.instant();
        Instant notAfter = now.plus(ttl);
        if (notAfter.isAfter(signingCert.getNotAfter().toInstant())) {
            notAfter = signingCert.getNotAfter().toInstant();
        }
        X509v3CertificateBuilder b = new JcaX509v3CertificateBuilder(signingCert,
                new BigInteger(128, random).setBit(127), Date.from(now.minus(BACKDATE)), Date.from(notAfter),
                new X500Name(new org.bouncycastle.asn1.x500.RDN[0]), key);
        b.addExtension(Extension.subjectAlternativeName, true, sans);
        b.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
        b.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature | KeyUsage.keyEncipherment));
        b.addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(purposes));
        b.addExtension(Extension.authorityKeyIdentifier, false,
                new JcaX509ExtensionUtils().createAuthorityKeyIdentifier(signingCert));
        return new JcaX509CertificateConverter().getCertificate(b.build(signer(signingKey)));
    }

    /** The root every workload trusts, PEM. */
    public String rootPem() {
        return rootPem;
    }

    /** When the root every workload trusts stops being valid (Citadel's {@code root_cert_expiry_timestamp}). */
    public Instant rootExpiry() {
        try {
            return readCertificate(rootPem).getNotAfter().toInstant();
        } catch (IOException e) {
            throw new UncheckedIOException("the CA's own root does not read: " + e.getMessage(), e);
        }
    }

    private static PKCS10CertificationRequest parseCsr(String csrPem) throws CertificateRefused {
        try (PEMParser parser = new PEMParser(new StringReader(csrPem))) {
            if (!(parser.readObject() instanceof PKCS10CertificationRequest csr)) {
                throw new CertificateRefused("the csr field is not a PEM certificate request");
            }
            if (!csr.isSignatureValid(new JcaContentVerifierProviderBuilder().build(csr.getSubjectPublicKeyInfo()))) {
                throw new CertificateRefused("the CSR's signature does not verify with its own key");
            }
            return csr;
        } catch (IOException | OperatorCreationException | PKCSException | RuntimeException e) {
            throw new CertificateRefused("the CSR cannot be read: " + e.getMessage());
        }
    }

    /** The names the request asks for, as "URI:...", "DNS:...", and so on. */
    private static List<String> requestedNames(PKCS10CertificationRequest csr) {
        List<String> names = new ArrayList<>();
        for (var attribute : csr.getAttributes(PKCSObjectIdentifiers.pkcs_9_at_extensionRequest)) {
            for (ASN1Encodable value : attribute.getAttributeValues()) {
                GeneralNames sans = GeneralNames.fromExtensions(Extensions.getInstance(value),
                        Extension.subjectAlternativeName);
                if (sans == null) {
                    continue;
                }
                for (GeneralName n : sans.getNames()) {
                    String kind = switch (n.getTagNo()) {
                        case GeneralName.uniformResourceIdentifier -> "URI";
                        case GeneralName.dNSName -> "DNS";
                        case GeneralName.iPAddress -> "IP";
                        case GeneralName.rfc822Name -> "email";
                        default -> "other";
                    };
                    names.add(kind + ":" + n.getName());
                }
            }
        }
        return names;
    }

    static KeyPair newKeyPair() throws GeneralSecurityException {
        KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
        g.initialize(new ECGenParameterSpec("secp256r1"));
        return g.generateKeyPair();
    }

    private static ContentSigner signer(PrivateKey key) throws OperatorCreationException {
        String algorithm = key.getAlgorithm().equals("RSA") ? "SHA256withRSA" : "SHA256withECDSA";
        return new JcaContentSignerBuilder(algorithm).build(key);
    }

    private static X509Certificate readCertificate(String text) throws IOException {
        try (PEMParser parser = new PEMParser(new StringReader(text))) {
            if (!(parser.readObject() instanceof X509CertificateHolder holder)) {
                throw new IOException("not a PEM certificate");
            }
            return new JcaX509CertificateConverter().getCertificate(holder);
        } catch (GeneralSecurityException e) {
            throw new IOException("cannot read the certificate: " + e.getMessage(), e);
        }
    }

    private static PrivateKey readKey(String text) throws IOException {
        try (PEMParser parser = new PEMParser(new StringReader(text))) {
            Object o = parser.readObject();
            JcaPEMKeyConverter converter = new JcaPEMKeyConverter();
            return switch (o) {
                case PEMKeyPair pair -> converter.getPrivateKey(pair.getPrivateKeyInfo());
                case PrivateKeyInfo info -> converter.getPrivateKey(info);
                case null, default -> throw new IOException("not a PEM private key");
            };
        }
    }

    private static List<String> splitPem(String text) {
        List<String> out = new ArrayList<>();
        for (String part : text.split("(?<=-----END CERTIFICATE-----)")) {
            String p = part.strip();
            if (!p.isEmpty()) {
                out.add(p + "\n");
            }
        }
        return out;
    }

    private static String pem(Object o) {
        StringWriter w = new StringWriter();
        try (JcaPEMWriter pem = new JcaPEMWriter(w)) {
            pem.writeObject(o);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return w.toString();
    }

    /** Writes through a temporary file made 0600 before any byte of the key is in it, then renames. */
    private static void writePrivately(Path target, String content) throws IOException {
        Path tmp = Files.createTempFile(target.getParent(), target.getFileName().toString(), ".tmp",
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        Files.writeString(tmp, content);
        try {
            Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
        }
    }
}
