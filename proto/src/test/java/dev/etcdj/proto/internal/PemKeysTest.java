package dev.etcdj.proto.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyFactory;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.Arrays;
import java.util.Base64;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The JDK writes keys as PKCS#8; the PKCS#1 and SEC1 forms etcd's tools write are cut out of that
 * encoding here (the inner OCTET STRING), so a wrapped key must come back as the JDK's own bytes.
 */
class PemKeysTest {

    @TempDir
    Path dir;

    @Test
    void pkcs8PassesThrough() throws Exception {
        PrivateKey key = rsa();
        Path f = write("PRIVATE KEY", key.getEncoded());
        assertThat(decode(PemKeys.pkcs8Pem(f))).isEqualTo(key.getEncoded());
    }

    @Test
    void pkcs1RsaKeyIsWrappedIntoTheSamePkcs8() throws Exception {
        PrivateKey key = rsa();
        Path f = write("RSA PRIVATE KEY", innerOctetString(key.getEncoded()));
        byte[] pkcs8 = decode(PemKeys.pkcs8Pem(f));
        assertThat(pkcs8).isEqualTo(key.getEncoded());
        assertThat(KeyFactory.getInstance("RSA").generatePrivate(new PKCS8EncodedKeySpec(pkcs8))).isEqualTo(key);
    }

    @Test
    void sec1EcKeyAfterItsParametersBlockIsReadWithItsCurve() throws Exception {
        KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
        g.initialize(new ECGenParameterSpec("secp256r1"));
        PrivateKey key = g.generateKeyPair().getPrivate();
        // ECPrivateKey { version 1, privateKey OCTET STRING, [0] namedCurve } as openssl ecparam -genkey writes it.
        byte[] secret = innerOctetString(innerOctetString(key.getEncoded()));
        byte[] sec1 = seq(cat(new byte[] {0x02, 0x01, 0x01}, tlv(0x04, secret), tlv(0xa0, P256_OID)));
        Path f = dir.resolve("ec.key");
        Files.writeString(f, pem("EC PARAMETERS", P256_OID) + pem("EC PRIVATE KEY", sec1));
        byte[] pkcs8 = decode(PemKeys.pkcs8Pem(f));
        PrivateKey read = KeyFactory.getInstance("EC").generatePrivate(new PKCS8EncodedKeySpec(pkcs8));
        assertThat(((java.security.interfaces.ECPrivateKey) read).getS())
                .isEqualTo(((java.security.interfaces.ECPrivateKey) key).getS());
    }

    @Test
    void refusesEncryptedAndMissingKeys() throws Exception {
        Path enc = dir.resolve("enc.key");
        Files.writeString(enc, pem("ENCRYPTED PRIVATE KEY", new byte[] {0x30, 0x00}));
        assertThatThrownBy(() -> PemKeys.pkcs8Pem(enc)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("encrypted private keys are not supported");
        Path cert = write("CERTIFICATE", new byte[] {0x30, 0x00});
        assertThatThrownBy(() -> PemKeys.pkcs8Pem(cert)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("no private key found in");
    }

    private static final byte[] P256_OID = {0x06, 0x08, 0x2a, (byte) 0x86, 0x48, (byte) 0xce, 0x3d, 0x03, 0x01, 0x07};

    private static PrivateKey rsa() throws Exception {
        KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
        g.initialize(2048);
        return g.generateKeyPair().getPrivate();
    }

    private Path write(String type, byte[] der) throws Exception {
        Path f = Files.createTempFile(dir, "key", ".pem");
        Files.writeString(f, pem(type, der));
        return f;
    }

    private static String pem(String type, byte[] der) {
        return "-----BEGIN " + type + "-----\n" + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
                .encodeToString(der) + "\n-----END " + type + "-----\n";
    }

    private static byte[] decode(byte[] pem) {
        String s = new String(pem, StandardCharsets.US_ASCII);
        assertThat(s).startsWith("-----BEGIN PRIVATE KEY-----\n");
        return Base64.getMimeDecoder().decode(s.replaceAll("-----[A-Z ]+-----", "").trim());
    }

    /** The content of the first OCTET STRING directly inside the outer SEQUENCE. */
    private static byte[] innerOctetString(byte[] der) {
        int pos = contentStart(der, 0);
        while (der[pos] != 0x04) {
            pos = contentStart(der, pos) + length(der, pos);
        }
        int start = contentStart(der, pos);
        return Arrays.copyOfRange(der, start, start + length(der, pos));
    }

    private static int contentStart(byte[] der, int pos) {
        int l = der[pos + 1] & 0xff;
        return pos + 2 + (l >= 0x80 ? l & 0x7f : 0);
    }

    private static int length(byte[] der, int pos) {
        int l = der[pos + 1] & 0xff;
        if (l < 0x80) {
            return l;
        }
        int n = 0;
        for (int i = 0; i < (l & 0x7f); i++) {
            n = (n << 8) | (der[pos + 2 + i] & 0xff);
        }
        return n;
    }

    private static byte[] seq(byte[] content) {
        return tlv(0x30, content);
    }

    private static byte[] tlv(int tag, byte[] content) {
        byte[] out = new byte[content.length + 2];
        assertThat(content.length).isLessThan(0x80);
        out[0] = (byte) tag;
        out[1] = (byte) content.length;
        System.arraycopy(content, 0, out, 2, content.length);
        return out;
    }

    private static byte[] cat(byte[]... parts) {
        int n = 0;
        for (byte[] p : parts) {
            n += p.length;
        }
        byte[] out = new byte[n];
        int off = 0;
        for (byte[] p : parts) {
            System.arraycopy(p, 0, out, off, p.length);
            off += p.length;
        }
        return out;
    }
}
