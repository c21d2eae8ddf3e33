package dev.etcdj.server.internal.tls;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Date;
import java.util.List;
import org.bouncycastle.asn1.ASN1Encodable;
import org.bouncycastle.asn1.ASN1Encoding;
import org.bouncycastle.asn1.ASN1Integer;
import org.bouncycastle.asn1.DERBitString;
import org.bouncycastle.asn1.DERSequence;
import org.bouncycastle.asn1.sec.ECPrivateKey;
import org.bouncycastle.asn1.sec.SECObjectIdentifiers;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.X500NameBuilder;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.asn1.x509.AlgorithmIdentifier;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.ExtensionsGenerator;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.asn1.x509.TBSCertificate;
import org.bouncycastle.asn1.x509.Time;
import org.bouncycastle.asn1.x509.V3TBSCertificateGenerator;
import org.bouncycastle.asn1.x9.X9ObjectIdentifiers;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * etcd's {@code --auto-tls} certificate, as etcd 3.4's transport.SelfCert makes it: ECDSA P-521 signed
 * with SHA-512 by itself, subject and issuer {@code O=etcd}, a random 128-bit serial, valid one year from
 * now, key usage digitalSignature + keyEncipherment (critical), extended key usage serverAuth, basic
 * constraints CA:FALSE (critical), and the listen URLs' hosts as SANs (DNS names, then IP addresses).
 * Written as {@code cert.pem} and a SEC1 {@code key.pem} (mode 0600) in its directory, which is made
 * 0700; when both files are already there, they are used as they are.
 *
 * <p>The JDK signs; Bouncy Castle's provider jar (already here for bcrypt) only encodes the ASN.1
 * structures, which the JDK has no public API for.
 */
public final class SelfSignedCert {

    private static final Logger LOG = LoggerFactory.getLogger("etcdj.transport.SelfSignedCert");
    private static final Duration VALIDITY = Duration.ofDays(365);

    private SelfSignedCert() {}

    /** The certificate and key files in {@code dir} (made first when either is missing). */
    public record CertFiles(Path cert, Path key) {}

    /**
     * Makes (or reuses) the certificate in {@code dir} for the hosts of {@code listenUrls}.
     *
     * @throws UncheckedIOException when the directory or files cannot be written
     */
    public static CertFiles ensure(Path dir, List<String> listenUrls) {
        Path cert = dir.resolve("cert.pem");
        Path key = dir.resolve("key.pem");
        try {
            createPrivateDir(dir);
            if (Files.exists(cert) && Files.exists(key)) {
                return new CertFiles(cert, key);
            }
            Generated g = generate(hosts(listenUrls));
            Files.writeString(cert, pem("CERTIFICATE", g.cert().getEncoded()), StandardCharsets.US_ASCII);
            LOG.atInfo().addKeyValue("path", cert.toString()).log("created cert file");
            Files.deleteIfExists(key);
            Files.createFile(key, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            Files.writeString(key, pem("EC PRIVATE KEY", g.sec1Key()), StandardCharsets.US_ASCII);
            LOG.atInfo().addKeyValue("path", key.toString()).log("created key file");
            return new CertFiles(cert, key);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the auto TLS certificate in " + dir + ": " + e.getMessage(), e);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot generate the auto TLS certificate: " + e.getMessage(), e);
        }
    }

    /** A made certificate and its private key (SEC1 DER, as etcd writes it). */
    public record Generated(X509Certificate cert, java.security.PrivateKey key, byte[] sec1Key) {}

    /** A new certificate for these host names and IP addresses. */
    public static Generated generate(List<String> hosts) throws GeneralSecurityException, IOException {
        KeyPairGenerator kpg = KeyPairGenerator.getInstance("EC");
        kpg.initialize(new ECGenParameterSpec("secp521r1"));
        KeyPair kp = kpg.generateKeyPair();
        SecureRandom random = new SecureRandom();
        X500Name name = new X500NameBuilder(BCStyle.INSTANCE).addRDN(BCStyle.O, "etcd").build();
        AlgorithmIdentifier sha512WithEcdsa = new AlgorithmIdentifier(X9ObjectIdentifiers.ecdsa_with_SHA512);
        Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);

        V3TBSCertificateGenerator tbs = new V3TBSCertificateGenerator();
        tbs.setSerialNumber(new ASN1Integer(new BigInteger(128, random)));
        tbs.setSignature(sha512WithEcdsa);
        tbs.setIssuer(name);
        tbs.setSubject(name);
        tbs.setStartDate(new Time(Date.from(now)));
        tbs.setEndDate(new Time(Date.from(now.plus(VALIDITY))));
        SubjectPublicKeyInfo spki = SubjectPublicKeyInfo.getInstance(kp.getPublic().getEncoded());
        tbs.setSubjectPublicKeyInfo(spki);
        ExtensionsGenerator ext = new ExtensionsGenerator();
        ext.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature | KeyUsage.keyEncipherment));
        ext.addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(KeyPurposeId.id_kp_serverAuth));
        ext.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
        GeneralNames sans = subjectAltNames(hosts);
        if (sans != null) {
            ext.addExtension(Extension.subjectAlternativeName, false, sans);
        }
        tbs.setExtensions(ext.generate());
        TBSCertificate body = tbs.generateTBSCertificate();

        Signature signer = Signature.getInstance("SHA512withECDSA");
        signer.initSign(kp.getPrivate(), random);
        signer.update(body.getEncoded(ASN1Encoding.DER));
        byte[] der = new DERSequence(new ASN1Encodable[] {body, sha512WithEcdsa, new DERBitString(signer.sign())})
                .getEncoded(ASN1Encoding.DER);
        X509Certificate cert = (X509Certificate) CertificateFactory.getInstance("X.509")
                .generateCertificate(new ByteArrayInputStream(der));

        BigInteger d = ((java.security.interfaces.ECPrivateKey) kp.getPrivate()).getS();
        byte[] sec1 = new ECPrivateKey(521, d, new DERBitString(spki.getPublicKeyData().getBytes()),
                SECObjectIdentifiers.secp521r1).getEncoded(ASN1Encoding.DER);
        return new Generated(cert, kp.getPrivate(), sec1);
    }

    /** DNS names first, then IP addresses, each in the order given (as Go encodes them); null when none. */
    private static GeneralNames subjectAltNames(List<String> hosts) {
        List<GeneralName> dns = new ArrayList<>();
        List<GeneralName> ips = new ArrayList<>();
        for (String h : hosts) {
            if (isIpLiteral(h)) {
                ips.add(new GeneralName(GeneralName.iPAddress, h));
            } else {
                dns.add(new GeneralName(GeneralName.dNSName, h));
            }
        }
        dns.addAll(ips);
        return dns.isEmpty() ? null : new GeneralNames(dns.toArray(GeneralName[]::new));
    }

    static boolean isIpLiteral(String h) {
        return h.contains(":") || h.matches("\\d{1,3}(\\.\\d{1,3}){3}");
    }

    /** The host of each URL, brackets of IPv6 literals removed. */
    static List<String> hosts(List<String> listenUrls) {
        List<String> out = new ArrayList<>();
        for (String u : listenUrls) {
            String h = URI.create(u).getHost();
            if (h != null) {
                out.add(h.startsWith("[") ? h.substring(1, h.length() - 1) : h);
            }
        }
        return out;
    }

    private static void createPrivateDir(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            Files.createDirectories(dir, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        }
    }

    static String pem(String type, byte[] der) {
        return "-----BEGIN " + type + "-----\n"
                + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(der)
                + "\n-----END " + type + "-----\n";
    }
}
