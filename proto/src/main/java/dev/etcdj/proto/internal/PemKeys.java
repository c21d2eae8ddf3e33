package dev.etcdj.proto.internal;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Private keys as Netty reads them (PKCS#8 PEM). etcd's usual tools (cfssl, openssl ecparam/genrsa)
 * write PKCS#1 "RSA PRIVATE KEY" or SEC1 "EC PRIVATE KEY" files, which Netty cannot read without
 * BouncyCastle; those are wrapped into PKCS#8 here, a few bytes of DER, with no new dependency.
 * Shared by the client (its own certificate) and the server (its serving certificate).
 */
public final class PemKeys {

    private static final Pattern BLOCK =
            Pattern.compile("-----BEGIN ([A-Z ]+)-----([^-]*)-----END \\1-----", Pattern.DOTALL);
    private static final byte[] RSA_ALGORITHM = {
        0x30, 0x0d, 0x06, 0x09, 0x2a, (byte) 0x86, 0x48, (byte) 0x86, (byte) 0xf7, 0x0d, 0x01, 0x01, 0x01, 0x05, 0x00};
    private static final byte[] EC_PUBLIC_KEY_OID = {0x06, 0x07, 0x2a, (byte) 0x86, 0x48, (byte) 0xce, 0x3d, 0x02, 0x01};

    private PemKeys() {}

    /** The key file's private key as PKCS#8 PEM bytes. */
    public static byte[] pkcs8Pem(Path keyFile) throws IOException {
        return pem(pkcs8Der(Files.readString(keyFile, StandardCharsets.US_ASCII), keyFile.toString()));
    }

    /**
     * The private key of PEM text as PKCS#8 DER; {@code source} names the text in error messages.
     *
     * @throws IllegalArgumentException for encrypted, malformed or missing keys
     */
    public static byte[] pkcs8Der(String text, String source) {
        if (text.contains("ENCRYPTED")) {
            throw new IllegalArgumentException("encrypted private keys are not supported: " + source);
        }
        Matcher m = BLOCK.matcher(text);
        while (m.find()) {
            String type = m.group(1);
            byte[] der;
            try {
                der = Base64.getMimeDecoder().decode(m.group(2).trim());
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("invalid PEM in " + source, e);
            }
            byte[] pkcs8 = switch (type) {
                case "PRIVATE KEY" -> der;
                case "RSA PRIVATE KEY" -> fromPkcs1(der);
                case "EC PRIVATE KEY" -> fromSec1(der, source);
                default -> null; // e.g. "EC PARAMETERS" before the key
            };
            if (pkcs8 != null) {
                return pkcs8;
            }
        }
        throw new IllegalArgumentException("no private key found in " + source);
    }

    /** PrivateKeyInfo { version 0, rsaEncryption, OCTET STRING(pkcs1) }. */
    static byte[] fromPkcs1(byte[] pkcs1) {
        return sequence(concat(new byte[] {0x02, 0x01, 0x00}, RSA_ALGORITHM, tlv(0x04, pkcs1)));
    }

    /** PrivateKeyInfo { version 0, {ecPublicKey, curve}, OCTET STRING(sec1) }; the curve comes from the SEC1 [0] field. */
    static byte[] fromSec1(byte[] sec1, String keyFile) {
        byte[] curve = sec1Curve(sec1);
        if (curve == null) {
            throw new IllegalArgumentException("EC key without named curve parameters: " + keyFile);
        }
        byte[] algorithm = sequence(concat(EC_PUBLIC_KEY_OID, curve));
        return sequence(concat(new byte[] {0x02, 0x01, 0x00}, algorithm, tlv(0x04, sec1)));
    }

    /** The OID TLV inside ECPrivateKey's [0] parameters, or null. */
    private static byte[] sec1Curve(byte[] der) {
        int[] outer = header(der, 0);
        if (der[0] != 0x30) {
            return null;
        }
        int pos = outer[0];
        int end = outer[0] + outer[1];
        while (pos < end) {
            int tag = der[pos] & 0xff;
            int[] h = header(der, pos);
            if (tag == 0xa0) {
                int[] oid = header(der, h[0]);
                int len = oid[0] - h[0] + oid[1];
                byte[] out = new byte[len];
                System.arraycopy(der, h[0], out, 0, len);
                return out;
            }
            pos = h[0] + h[1];
        }
        return null;
    }

    /** {content offset, content length} of the TLV at {@code pos}. */
    private static int[] header(byte[] der, int pos) {
        int len = der[pos + 1] & 0xff;
        int off = pos + 2;
        if (len >= 0x80) {
            int n = len & 0x7f;
            len = 0;
            for (int i = 0; i < n; i++) {
                len = (len << 8) | (der[off + i] & 0xff);
            }
            off += n;
        }
        return new int[] {off, len};
    }

    private static byte[] sequence(byte[] content) {
        return tlv(0x30, content);
    }

    private static byte[] tlv(int tag, byte[] content) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(content.length + 6);
        out.write(tag);
        int len = content.length;
        if (len < 0x80) {
            out.write(len);
        } else if (len < 0x100) {
            out.write(0x81);
            out.write(len);
        } else if (len < 0x10000) {
            out.write(0x82);
            out.write(len >> 8);
            out.write(len);
        } else {
            out.write(0x83);
            out.write(len >> 16);
            out.write(len >> 8);
            out.write(len);
        }
        out.writeBytes(content);
        return out.toByteArray();
    }

    private static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] p : parts) {
            out.writeBytes(p);
        }
        return out.toByteArray();
    }

    private static byte[] pem(byte[] pkcs8) {
        String b64 = Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(pkcs8);
        return ("-----BEGIN PRIVATE KEY-----\n" + b64 + "\n-----END PRIVATE KEY-----\n").getBytes(StandardCharsets.US_ASCII);
    }
}
