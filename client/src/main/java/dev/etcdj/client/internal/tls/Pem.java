package dev.etcdj.client.internal.tls;

import dev.etcdj.proto.internal.PemKeys;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.AlgorithmParameters;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.spec.InvalidKeySpecException;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.Base64;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.crypto.Cipher;
import javax.crypto.EncryptedPrivateKeyInfo;
import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.PBEKeySpec;

/** PEM certificates and private keys (plain or encrypted PKCS#8, PKCS#1 RSA, SEC1 EC), and key store files, with the JDK only. */
final class Pem {
    private static final Pattern ENCRYPTED =
            Pattern.compile("-----BEGIN ENCRYPTED PRIVATE KEY-----([^-]*)-----END ENCRYPTED PRIVATE KEY-----");
    /** The OID of PBES2 (PKCS#5 v2, what openssl pkcs8 -topk8 writes). */
    private static final String PBES2_OID = "1.2.840.113549.1.5.13";

    private Pem() {
    }

    static String read(Path file) {
        try {
            return Files.readString(file, StandardCharsets.US_ASCII);
        } catch (IOException e) {
            throw new UncheckedIOException("etcdj: cannot read TLS file " + file + ": " + e.getMessage(), e);
        }
    }

    static List<Certificate> certificates(String pem, String source) {
        try {
            List<Certificate> certs = List.copyOf(CertificateFactory.getInstance("X.509")
                    .generateCertificates(new ByteArrayInputStream(pem.getBytes(StandardCharsets.US_ASCII))));
            if (certs.isEmpty()) {
                throw new IllegalArgumentException("etcdj: no certificate found in " + source);
            }
            return certs;
        } catch (CertificateException e) {
            throw new IllegalArgumentException("etcdj: invalid certificate in " + source + ": " + e.getMessage(), e);
        }
    }

    /** The private key of PEM text; an encrypted PKCS#8 key needs its password. */
    static PrivateKey privateKey(String pem, char[] password, String source) {
        Matcher m = ENCRYPTED.matcher(pem);
        byte[] pkcs8;
        if (m.find()) {
            if (password == null) {
                throw new IllegalArgumentException("etcdj: the private key in " + source + " is encrypted: give its password");
            }
            pkcs8 = decrypt(Base64.getMimeDecoder().decode(m.group(1).trim()), password, source);
        } else {
            try {
                pkcs8 = PemKeys.pkcs8Der(pem, source);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("etcdj: " + e.getMessage(), e);
            }
        }
        for (String alg : List.of("EC", "RSA", "Ed25519", "Ed448", "RSASSA-PSS", "DSA")) {
            try {
                return KeyFactory.getInstance(alg).generatePrivate(new PKCS8EncodedKeySpec(pkcs8));
            } catch (InvalidKeySpecException | java.security.NoSuchAlgorithmException e) {
                // not this algorithm: the next one is tried, and the loop's end reports the key as unknown
            }
        }
        throw new IllegalArgumentException("etcdj: unsupported private key algorithm in " + source);
    }

    private static byte[] decrypt(byte[] der, char[] password, String source) {
        try {
            EncryptedPrivateKeyInfo info = new EncryptedPrivateKeyInfo(der);
            AlgorithmParameters params = info.getAlgParameters();
            String alg = info.getAlgName();
            // for PBES2 the JDK names the actual scheme (e.g. PBEWithHmacSHA256AndAES_256) in the parameters
            String scheme = alg.equals("PBES2") || alg.equals(PBES2_OID) ? params.toString() : alg;
            PBEKeySpec spec = new PBEKeySpec(password);
            try {
                Cipher cipher = Cipher.getInstance(scheme);
                cipher.init(Cipher.DECRYPT_MODE, SecretKeyFactory.getInstance(scheme).generateSecret(spec), params);
                return info.getKeySpec(cipher).getEncoded();
            } finally {
                spec.clearPassword();
            }
        } catch (InvalidKeySpecException e) {
            throw new IllegalArgumentException("etcdj: cannot decrypt the private key in " + source + " (wrong password?)", e);
        } catch (IOException | GeneralSecurityException e) {
            throw new IllegalArgumentException("etcdj: cannot decrypt the private key in " + source + ": " + e.getMessage(), e);
        }
    }

    /** A PKCS#12 or JKS file (the JDK tells them apart by content). */
    static KeyStore keyStore(Path file, char[] password) {
        try {
            return KeyStore.getInstance(file.toFile(), password);
        } catch (IOException e) {
            throw new IllegalArgumentException("etcdj: cannot read key store " + file + ": " + e.getMessage(), e);
        } catch (GeneralSecurityException e) {
            throw new IllegalArgumentException("etcdj: invalid key store " + file + ": " + e.getMessage(), e);
        }
    }

    /** An empty in-memory PKCS#12 store, to hand PEM material to the JDK's key and trust managers. */
    static KeyStore emptyStore() {
        try {
            KeyStore ks = KeyStore.getInstance("PKCS12");
            ks.load(null, null);
            return ks;
        } catch (IOException | GeneralSecurityException e) {
            throw new IllegalStateException("the JDK has no PKCS12 key store", e);
        }
    }

    /** A step of building JSSE material that may fail with a {@link GeneralSecurityException}. */
    @FunctionalInterface
    interface Step<T> {
        T run() throws GeneralSecurityException;
    }

    /** Runs {@code step}; its failure becomes an IllegalArgumentException saying {@code what} failed and why. */
    static <T> T orInvalid(String what, Step<T> step) {
        try {
            return step.run();
        } catch (GeneralSecurityException e) {
            throw new IllegalArgumentException("etcdj: " + what + ": " + e.getMessage(), e);
        }
    }

    /** The first of a JSSE factory's managers that is of {@code type}. */
    static <M> M first(Object[] managers, Class<M> type, String factory) {
        for (Object m : managers) {
            if (type.isInstance(m)) {
                return type.cast(m);
            }
        }
        throw new IllegalArgumentException("etcdj: the " + factory + " factory has no X.509 " + factory);
    }
}
