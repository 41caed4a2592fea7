package dev.weft.testing.tls;

import java.io.IOException;
import java.io.StringReader;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import javax.net.ssl.KeyManager;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.asn1.sec.ECPrivateKey;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.openssl.jcajce.JcaPKCS8Generator;
import org.bouncycastle.operator.ContentSigner;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.util.io.pem.PemObject;

/**
 * A throw-away certificate authority for tests: EC P-256 keys made at test time (no private key is ever
 * committed), a self-signed CA and leaf certificates it signs with DNS and URI (SPIFFE) subject alt names. It can
 * also take over an existing CA from its PEM files (a test signs with weftd's root what the mesh must refuse).
 */
public final class TestPki {

    private static final AtomicLong SERIALS = new AtomicLong(System.nanoTime());

    private final X509Certificate ca;
    private final PrivateKey caKey;

    private TestPki(X509Certificate ca, PrivateKey caKey) {
        this.ca = ca;
        this.caKey = caKey;
    }

    /** A new CA named {@code CN=<name>}, valid for a year; its leaves are valid for 30 days. */
    public static TestPki create(String name) {
        try {
            KeyPair pair = newKeyPair();
            X500Name subject = new X500Name("CN=" + name);
            X509v3CertificateBuilder b = builder(subject, subject, pair, Duration.ofDays(365));
            b.addExtension(Extension.basicConstraints, true, new BasicConstraints(true));
            b.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign));
            return new TestPki(sign(b, pair.getPrivate()), pair.getPrivate());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (GeneralSecurityException | org.bouncycastle.operator.OperatorCreationException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The CA of an existing certificate and its private key (PKCS#8, or PKCS#1/SEC1 as OpenSSL writes them). */
    public static TestPki of(String caCertificatePem, String caKeyPem) {
        try (PEMParser parser = new PEMParser(new StringReader(caCertificatePem))) {
            if (!(parser.readObject() instanceof X509CertificateHolder holder)) {
                throw new IllegalArgumentException("not a PEM certificate: " + caCertificatePem);
            }
            return new TestPki(new JcaX509CertificateConverter().getCertificate(holder), privateKey(caKeyPem));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A private key from PEM: PKCS#8 ("PRIVATE KEY"), or PKCS#1/SEC1 ("RSA/EC PRIVATE KEY"). */
    public static PrivateKey privateKey(String pem) {
        try (PEMParser parser = new PEMParser(new StringReader(pem))) {
            JcaPEMKeyConverter converter = new JcaPEMKeyConverter();
            return switch (parser.readObject()) {
                case PrivateKeyInfo info -> converter.getPrivateKey(info);
                case PEMKeyPair pair -> converter.getPrivateKey(pair.getPrivateKeyInfo());
                case null, default -> throw new IllegalArgumentException("not a PEM private key");
            };
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public X509Certificate caCertificate() {
        return ca;
    }

    public String caPem() {
        return pem(ca);
    }

    /**
     * A JDK {@link SSLContext} (for HttpClient or sockets) that trusts this CA and, when {@code identity} is not
     * null, presents it as the client certificate.
     */
    public SSLContext clientContext(Issued identity) {
        try {
            KeyStore trust = KeyStore.getInstance(KeyStore.getDefaultType());
            trust.load(null, null);
            trust.setCertificateEntry("ca", ca);
            TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            tmf.init(trust);
            KeyManager[] keyManagers = null;
            if (identity != null) {
                KeyStore keys = KeyStore.getInstance(KeyStore.getDefaultType());
                keys.load(null, null);
                keys.setKeyEntry("client", identity.key(), new char[0], new X509Certificate[] {identity.certificate(), ca});
                KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
                kmf.init(keys, new char[0]);
                keyManagers = kmf.getKeyManagers();
            }
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(keyManagers, tmf.getTrustManagers(), null);
            return context;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * A leaf certificate for {@code CN=<commonName>}; each SAN is a DNS name, or a URI when it contains "://".
     */
    public Issued issue(String commonName, String... subjectAltNames) {
        Instant now = Instant.now();
        return issue(now.minus(Duration.ofMinutes(5)), now.plus(Duration.ofDays(30)), commonName, subjectAltNames);
    }

    /** A leaf as {@link #issue(String, String...)} makes it, valid from {@code notBefore} to {@code notAfter}. */
    public Issued issue(Instant notBefore, Instant notAfter, String commonName, String... subjectAltNames) {
        try {
            KeyPair pair = newKeyPair();
            X509v3CertificateBuilder b = new JcaX509v3CertificateBuilder(
                    // The CA's encoded name as is: reparsing its RFC 2253 text reverses a name of several RDNs.
                    X500Name.getInstance(ca.getSubjectX500Principal().getEncoded()),
                    BigInteger.valueOf(SERIALS.incrementAndGet()),
                    Date.from(notBefore), Date.from(notAfter), new X500Name("CN=" + commonName), pair.getPublic());
            List<GeneralName> names = new ArrayList<>();
            for (String san : subjectAltNames) {
                names.add(new GeneralName(san.contains("://") ? GeneralName.uniformResourceIdentifier : GeneralName.dNSName, san));
            }
            if (!names.isEmpty()) {
                b.addExtension(Extension.subjectAlternativeName, false, new GeneralNames(names.toArray(GeneralName[]::new)));
            }
            b.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
            X509Certificate cert = sign(b, caKey);
            return new Issued(cert, pair.getPrivate(), pem(cert), pkcs8(pair.getPrivate()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (GeneralSecurityException | org.bouncycastle.operator.OperatorCreationException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A leaf certificate and its key, in PEM (the key as PKCS#8). */
    public record Issued(X509Certificate certificate, PrivateKey key, String certificatePem, String privateKeyPem) {

        /** The key in the older SEC1 encoding ("BEGIN EC PRIVATE KEY") that OpenSSL tools write. */
        public String privateKeySec1Pem() {
            PrivateKeyInfo info = PrivateKeyInfo.getInstance(key.getEncoded());
            try {
                ECPrivateKey inner = ECPrivateKey.getInstance(info.parsePrivateKey());
                // OpenSSL names the curve inside the SEC1 structure; the JDK's PKCS#8 keeps it outside.
                ECPrivateKey sec1 = new ECPrivateKey(256, inner.getKey(), info.getPrivateKeyAlgorithm().getParameters());
                return pem(new PemObject("EC PRIVATE KEY", sec1.getEncoded()));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        /** Writes {@code <name>.pem} and {@code <name>-key.pem} into {@code dir}; returns the certificate's path. */
        public Path writeTo(Path dir, String name) {
            try {
                Files.writeString(dir.resolve(name + "-key.pem"), privateKeyPem);
                return Files.writeString(dir.resolve(name + ".pem"), certificatePem);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    private static KeyPair newKeyPair() throws GeneralSecurityException {
        KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
        g.initialize(new ECGenParameterSpec("secp256r1"));
        return g.generateKeyPair();
    }

    private static X509v3CertificateBuilder builder(X500Name issuer, X500Name subject, KeyPair pair, Duration validity) {
        Instant now = Instant.now();
        return new JcaX509v3CertificateBuilder(issuer, BigInteger.valueOf(SERIALS.incrementAndGet()),
                Date.from(now.minus(Duration.ofMinutes(5))), Date.from(now.plus(validity)), subject, pair.getPublic());
    }

    private static X509Certificate sign(X509v3CertificateBuilder b, PrivateKey key)
            throws GeneralSecurityException, org.bouncycastle.operator.OperatorCreationException {
        ContentSigner signer = new JcaContentSignerBuilder(
                key.getAlgorithm().equals("RSA") ? "SHA256withRSA" : "SHA256withECDSA").build(key);
        return new JcaX509CertificateConverter().getCertificate(b.build(signer));
    }

    private static String pem(Object o) {
        StringWriter out = new StringWriter();
        try (JcaPEMWriter w = new JcaPEMWriter(out)) {
            w.writeObject(o);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toString();
    }

    private static String pkcs8(PrivateKey key) {
        try {
            return pem(new JcaPKCS8Generator(key, null).generate());
        } catch (org.bouncycastle.util.io.pem.PemGenerationException e) {
            throw new IllegalStateException(e);
        }
    }
}
