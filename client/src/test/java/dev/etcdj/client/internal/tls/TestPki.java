package dev.etcdj.client.internal.tls;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;
import java.util.concurrent.atomic.AtomicLong;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.CertIOException;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.ContentSigner;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * CAs and certificates made at test time, written as PEM files (certificate, PKCS#8 key) the way
 * etcd's --cert-file/--key-file and etcdctl's --cacert/--cert/--key take them. EC P-256 keys: fast
 * to make, and both Go and the JDK speak them.
 */
final class TestPki {

    private static final AtomicLong SERIAL = new AtomicLong(System.currentTimeMillis());

    /** A CA that can sign leaf certificates. */
    record Ca(String name, KeyPair keys, X509Certificate cert, Path certFile) {}

    /** A leaf certificate and its key, as PEM files. */
    record Leaf(Path certFile, Path keyFile) {}

    private final Path dir;

    TestPki(Path dir) {
        this.dir = dir;
    }

    Ca newCa(String name) {
        try {
            KeyPair keys = ecKeys();
            X500Name subject = new X500Name("CN=" + name);
            X509v3CertificateBuilder b = builder(subject, subject, keys);
            JcaX509ExtensionUtils ext = new JcaX509ExtensionUtils();
            b.addExtension(Extension.basicConstraints, true, new BasicConstraints(true));
            b.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign));
            b.addExtension(Extension.subjectKeyIdentifier, false, ext.createSubjectKeyIdentifier(keys.getPublic()));
            X509Certificate cert = sign(b, keys.getPrivate());
            Path file = writePem(name + "-ca.pem", "CERTIFICATE", cert.getEncoded());
            return new Ca(name, keys, cert, file);
        } catch (GeneralSecurityException | CertIOException e) {
            throw new IllegalStateException("cannot make CA " + name, e);
        }
    }

    /** A server certificate for 127.0.0.1 and localhost (IP and DNS SANs). */
    Leaf newServer(Ca ca, String name) {
        // etcd's gRPC gateway dials its own TLS listener with the server certificate, so a server
        // that requires client certificates needs clientAuth on it too.
        return leaf(ca, name, new KeyPurposeId[] {KeyPurposeId.id_kp_serverAuth, KeyPurposeId.id_kp_clientAuth},
                new GeneralNames(new GeneralName[] {
                        new GeneralName(GeneralName.iPAddress, "127.0.0.1"),
                        new GeneralName(GeneralName.dNSName, "localhost")}));
    }

    Leaf newClient(Ca ca, String name) {
        return leaf(ca, name, new KeyPurposeId[] {KeyPurposeId.id_kp_clientAuth}, null);
    }

    private Leaf leaf(Ca ca, String name, KeyPurposeId[] usages, GeneralNames sans) {
        try {
            KeyPair keys = ecKeys();
            X509v3CertificateBuilder b = builder(
                    X500Name.getInstance(ca.cert().getSubjectX500Principal().getEncoded()),
                    new X500Name("CN=" + name), keys);
            JcaX509ExtensionUtils ext = new JcaX509ExtensionUtils();
            b.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
            b.addExtension(Extension.keyUsage, true,
                    new KeyUsage(KeyUsage.digitalSignature | KeyUsage.keyEncipherment));
            b.addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(usages));
            b.addExtension(Extension.authorityKeyIdentifier, false, ext.createAuthorityKeyIdentifier(ca.cert()));
            if (sans != null) {
                b.addExtension(Extension.subjectAlternativeName, false, sans);
            }
            X509Certificate cert = sign(b, ca.keys().getPrivate());
            Path certFile = writePem(name + ".pem", "CERTIFICATE", cert.getEncoded());
            Path keyFile = writeKey(name + "-key.pem", keys.getPrivate());
            return new Leaf(certFile, keyFile);
        } catch (GeneralSecurityException | CertIOException e) {
            throw new IllegalStateException("cannot make certificate " + name, e);
        }
    }

    private static X509v3CertificateBuilder builder(X500Name issuer, X500Name subject, KeyPair keys) {
        Instant now = Instant.now();
        // Backdated a little: etcd and the JVM must both see the certificate as valid already.
        return new JcaX509v3CertificateBuilder(issuer, BigInteger.valueOf(SERIAL.incrementAndGet()),
                Date.from(now.minus(Duration.ofHours(1))), Date.from(now.plus(Duration.ofDays(1))),
                subject, keys.getPublic());
    }

    private static X509Certificate sign(X509v3CertificateBuilder b, PrivateKey signer) throws GeneralSecurityException {
        try {
            ContentSigner s = new JcaContentSignerBuilder("SHA256withECDSA").build(signer);
            return new JcaX509CertificateConverter().getCertificate(b.build(s));
        } catch (OperatorCreationException e) {
            throw new GeneralSecurityException(e);
        }
    }

    private static KeyPair ecKeys() throws GeneralSecurityException {
        KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
        g.initialize(new ECGenParameterSpec("secp256r1"));
        return g.generateKeyPair();
    }

    private Path writeKey(String file, PrivateKey key) {
        // getEncoded() of a JDK private key is PKCS#8: "PRIVATE KEY", which Netty and Go both read.
        return writePem(file, "PRIVATE KEY", key.getEncoded());
    }

    private Path writePem(String file, String type, byte[] der) {
        String body = Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(der);
        String pem = "-----BEGIN " + type + "-----\n" + body + "\n-----END " + type + "-----\n";
        Path p = dir.resolve(file);
        try {
            Files.writeString(p, pem, StandardCharsets.US_ASCII);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return p;
    }
}
