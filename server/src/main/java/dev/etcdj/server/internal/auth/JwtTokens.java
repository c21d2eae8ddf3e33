package dev.etcdj.server.internal.auth;

import dev.etcdj.proto.internal.PemKeys;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.Key;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.security.cert.CertificateFactory;
import java.security.interfaces.ECKey;
import java.security.interfaces.RSAPrivateCrtKey;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.MGF1ParameterSpec;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.PSSParameterSpec;
import java.security.spec.X509EncodedKeySpec;
import java.time.Clock;
import java.time.Duration;
import java.util.Arrays;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * etcd 3.4's {@code --auth-token jwt,...} tokens, signed and verified with the JDK (no JWT library: the
 * format is three base64url parts and one signature call). The token is what etcd's jwt-go issues:
 * header {@code {"alg":"RS256","typ":"JWT"}}, claims {@code {"exp":…,"revision":…,"username":"…"}}
 * (keys sorted, as Go marshals a map), signed with {@code sign-method} — RS/PS/ES 256/384/512 with
 * {@code priv-key}/{@code pub-key} PEM files, or HS 256/384/512 with the {@code priv-key} file's bytes as
 * the secret. Only a public key: tokens are verified but never issued (etcd's verify-only mode).
 */
public final class JwtTokens {

    /** etcd's auth option errors, in its words. */
    static final String INVALID_OPTS = "auth: invalid auth options";
    static final String INVALID_METHOD = "auth: invalid auth signature method";
    static final String MISSING_KEY = "auth: missing key data";
    static final String KEY_MISMATCH = "auth: public and private keys don't match";
    static final String VERIFY_ONLY = "auth: token signing attempted with verify-only key";

    private static final Base64.Encoder B64 = Base64.getUrlEncoder().withoutPadding();
    private static final Base64.Decoder B64D = Base64.getUrlDecoder();

    private final String alg;
    private final Key signKey;   // PrivateKey or SecretKeySpec; null = verify only
    private final Key verifyKey; // PublicKey or SecretKeySpec
    private final Duration ttl;
    private final Clock clock;

    private JwtTokens(String alg, Key signKey, Key verifyKey, Duration ttl, Clock clock) {
        this.alg = alg;
        this.signKey = signKey;
        this.verifyKey = verifyKey;
        this.ttl = ttl;
        this.clock = clock;
    }

    /**
     * From etcd's options map ({@code sign-method}, {@code pub-key}, {@code priv-key}, {@code ttl}, default
     * 5 minutes). Fails with etcd's messages.
     */
    static JwtTokens fromOptions(Map<String, String> opts, Clock clock) {
        Duration ttl = Duration.ofMinutes(5);
        if (!opts.getOrDefault("ttl", "").isEmpty()) {
            ttl = goDuration(opts.get("ttl"));
        }
        String method = opts.getOrDefault("sign-method", "");
        String family = method.length() == 5 ? method.substring(0, 2) : "";
        String bits = method.length() == 5 ? method.substring(2) : "";
        if (!family.matches("RS|PS|ES|HS") || !bits.matches("256|384|512")) {
            throw new IllegalArgumentException(INVALID_OPTS); // etcd: ErrInvalidAuthMethod, reported as invalid options
        }
        byte[] pub = read(opts.get("pub-key"));
        byte[] priv = read(opts.get("priv-key"));
        try {
            if (family.equals("HS")) {
                if (priv == null || priv.length == 0) {
                    throw new IllegalArgumentException(MISSING_KEY);
                }
                SecretKeySpec k = new SecretKeySpec(priv, "Hmac" + "SHA" + bits);
                return new JwtTokens(method, k, k, ttl, clock);
            }
            String kf = family.equals("ES") ? "EC" : "RSA";
            PrivateKey privateKey = priv == null ? null : privateKey(kf, opts.get("priv-key"));
            PublicKey publicKey = pub == null ? null : publicKey(kf, pub);
            if (privateKey == null && publicKey == null) {
                throw new IllegalArgumentException(MISSING_KEY);
            }
            if (privateKey != null && publicKey != null && !matches(privateKey, publicKey)) {
                throw new IllegalArgumentException(KEY_MISMATCH);
            }
            PublicKey verify = publicKey != null ? publicKey : derivePublic(privateKey);
            return new JwtTokens(method, privateKey, verify, ttl, clock);
        } catch (GeneralSecurityException | IOException e) {
            throw new IllegalArgumentException("auth: cannot load JWT keys: " + e.getMessage(), e);
        }
    }

    /** A signed token for this user at this auth revision, valid for the TTL. */
    String issue(String user, long revision) {
        if (signKey == null) {
            throw new IllegalStateException(VERIFY_ONLY);
        }
        String header = "{\"alg\":\"" + alg + "\",\"typ\":\"JWT\"}";
        long exp = clock.instant().plus(ttl).getEpochSecond();
        String claims = "{\"exp\":" + exp + ",\"revision\":" + revision + ",\"username\":" + jsonString(user) + "}";
        String signingInput = B64.encodeToString(header.getBytes(StandardCharsets.UTF_8)) + "."
                + B64.encodeToString(claims.getBytes(StandardCharsets.UTF_8));
        try {
            return signingInput + "." + B64.encodeToString(sign(signingInput.getBytes(StandardCharsets.US_ASCII)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot sign a JWT: " + e.getMessage(), e);
        }
    }

    /** The user a valid token names: signature by our key with our method, not expired; else null. */
    String verify(String token) {
        String[] parts = token.split("\\.", -1);
        if (parts.length != 3) {
            return null;
        }
        try {
            Map<String, Object> header = FlatJson.parse(new String(B64D.decode(parts[0]), StandardCharsets.UTF_8));
            if (!alg.equals(header.get("alg"))) {
                return null;
            }
            byte[] input = (parts[0] + "." + parts[1]).getBytes(StandardCharsets.US_ASCII);
            if (!verifySignature(input, B64D.decode(parts[2]))) {
                return null;
            }
            Map<String, Object> claims = FlatJson.parse(new String(B64D.decode(parts[1]), StandardCharsets.UTF_8));
            Object exp = claims.get("exp");
            if (exp instanceof Number n && clock.instant().getEpochSecond() > n.longValue()) {
                return null;
            }
            return claims.get("username") instanceof String u ? u : null;
        } catch (IllegalArgumentException | GeneralSecurityException e) {
            return null; // not base64, not JSON, or a malformed signature: an invalid token like any other
        }
    }

    private byte[] sign(byte[] input) throws GeneralSecurityException {
        if (signKey instanceof SecretKeySpec k) {
            Mac mac = Mac.getInstance(k.getAlgorithm());
            mac.init(k);
            return mac.doFinal(input);
        }
        Signature s = signature();
        s.initSign((PrivateKey) signKey);
        s.update(input);
        byte[] sig = s.sign();
        return alg.startsWith("ES") ? derToConcat(sig, ecSize()) : sig;
    }

    private boolean verifySignature(byte[] input, byte[] sig) throws GeneralSecurityException {
        if (verifyKey instanceof SecretKeySpec) {
            return java.security.MessageDigest.isEqual(sign(input), sig);
        }
        Signature s = signature();
        s.initVerify((PublicKey) verifyKey);
        s.update(input);
        if (alg.startsWith("ES")) {
            if (sig.length != 2 * ecSize()) {
                return false;
            }
            return s.verify(concatToDer(sig));
        }
        return s.verify(sig);
    }

    private Signature signature() throws GeneralSecurityException {
        String bits = alg.substring(2);
        return switch (alg.substring(0, 2)) {
            case "RS" -> Signature.getInstance("SHA" + bits + "withRSA");
            case "ES" -> Signature.getInstance("SHA" + bits + "withECDSA");
            default -> {
                // jwt-go's PS*: MGF1 with the same hash, salt as long as the hash.
                Signature s = Signature.getInstance("RSASSA-PSS");
                String hash = "SHA-" + bits;
                s.setParameter(new PSSParameterSpec(hash, "MGF1", new MGF1ParameterSpec(hash), Integer.parseInt(bits) / 8, 1));
                yield s;
            }
        };
    }

    private int ecSize() {
        return switch (alg) {
            case "ES256" -> 32;
            case "ES384" -> 48;
            default -> 66;
        };
    }

    /** ASN.1 SEQUENCE{INTEGER r, INTEGER s} to JWS's fixed-size r||s. */
    static byte[] derToConcat(byte[] der, int size) {
        int pos = 2 + ((der[1] & 0x80) != 0 ? der[1] & 0x7f : 0);
        byte[] out = new byte[2 * size];
        for (int i = 0; i < 2; i++) {
            int len = der[pos + 1] & 0xff;
            byte[] v = Arrays.copyOfRange(der, pos + 2, pos + 2 + len);
            byte[] mag = new BigInteger(1, v).toByteArray();
            int skip = mag.length > size ? mag.length - size : 0;
            System.arraycopy(mag, skip, out, i * size + size - (mag.length - skip), mag.length - skip);
            pos += 2 + len;
        }
        return out;
    }

    static byte[] concatToDer(byte[] concat) {
        int size = concat.length / 2;
        byte[] r = new BigInteger(1, Arrays.copyOfRange(concat, 0, size)).toByteArray();
        byte[] s = new BigInteger(1, Arrays.copyOfRange(concat, size, concat.length)).toByteArray();
        int body = 2 + r.length + 2 + s.length;
        byte[] lenBytes = body < 128 ? new byte[] {(byte) body} : new byte[] {(byte) 0x81, (byte) body};
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        out.write(0x30);
        out.writeBytes(lenBytes);
        out.write(0x02);
        out.write(r.length);
        out.writeBytes(r);
        out.write(0x02);
        out.write(s.length);
        out.writeBytes(s);
        return out.toByteArray();
    }

    private static byte[] read(String file) {
        if (file == null || file.isEmpty()) {
            return null;
        }
        try {
            return Files.readAllBytes(Path.of(file));
        } catch (IOException e) {
            throw new IllegalArgumentException(INVALID_OPTS + ": " + e.getMessage(), e);
        }
    }

    private static PrivateKey privateKey(String kf, String file) throws IOException, GeneralSecurityException {
        String pem = new String(PemKeys.pkcs8Pem(Path.of(file)), StandardCharsets.US_ASCII);
        byte[] der = Base64.getMimeDecoder().decode(pem.replaceAll("-----[A-Z ]+-----", "").trim());
        return KeyFactory.getInstance(kf).generatePrivate(new PKCS8EncodedKeySpec(der));
    }

    /** A PUBLIC KEY (PKIX) block, or a certificate's key, as jwt-go's ParseRSA/ECPublicKeyFromPEM take. */
    private static PublicKey publicKey(String kf, byte[] pem) throws GeneralSecurityException {
        String text = new String(pem, StandardCharsets.US_ASCII);
        if (text.contains("BEGIN CERTIFICATE")) {
            return CertificateFactory.getInstance("X.509").generateCertificate(new ByteArrayInputStream(pem)).getPublicKey();
        }
        int b = text.indexOf("-----BEGIN PUBLIC KEY-----");
        int e = text.indexOf("-----END PUBLIC KEY-----");
        if (b < 0 || e < 0) {
            throw new GeneralSecurityException("no PUBLIC KEY block");
        }
        byte[] der = Base64.getMimeDecoder().decode(text.substring(b + 26, e).trim());
        return KeyFactory.getInstance(kf).generatePublic(new X509EncodedKeySpec(der));
    }

    private static boolean matches(PrivateKey priv, PublicKey pub) throws GeneralSecurityException {
        if (priv instanceof RSAPrivateCrtKey r && pub instanceof RSAPublicKey p) {
            return r.getModulus().equals(p.getModulus()) && r.getPublicExponent().equals(p.getPublicExponent());
        }
        return priv instanceof ECKey a && pub instanceof ECKey b
                && a.getParams().getCurve().equals(b.getParams().getCurve());
    }

    private static PublicKey derivePublic(PrivateKey priv) throws GeneralSecurityException {
        if (priv instanceof RSAPrivateCrtKey r) {
            return KeyFactory.getInstance("RSA").generatePublic(
                    new java.security.spec.RSAPublicKeySpec(r.getModulus(), r.getPublicExponent()));
        }
        // EC: Go keeps the public point in the private key; the JDK does not, so compute Q = d·G.
        java.security.interfaces.ECPrivateKey ec = (java.security.interfaces.ECPrivateKey) priv;
        java.security.spec.ECParameterSpec params = ec.getParams();
        java.security.spec.ECPoint q = multiply(params.getGenerator(), ec.getS(), params.getCurve());
        return KeyFactory.getInstance("EC").generatePublic(new java.security.spec.ECPublicKeySpec(q, params));
    }

    /** Scalar multiplication on a prime curve y² = x³ + ax + b, affine double-and-add (only at start-up). */
    private static java.security.spec.ECPoint multiply(java.security.spec.ECPoint g, BigInteger k,
            java.security.spec.EllipticCurve curve) {
        BigInteger p = ((java.security.spec.ECFieldFp) curve.getField()).getP();
        java.security.spec.ECPoint result = java.security.spec.ECPoint.POINT_INFINITY;
        java.security.spec.ECPoint addend = g;
        for (int i = 0; i < k.bitLength(); i++) {
            if (k.testBit(i)) {
                result = add(result, addend, curve.getA(), p);
            }
            addend = add(addend, addend, curve.getA(), p);
        }
        return result;
    }

    private static java.security.spec.ECPoint add(java.security.spec.ECPoint a, java.security.spec.ECPoint b,
            BigInteger curveA, BigInteger p) {
        if (a.equals(java.security.spec.ECPoint.POINT_INFINITY)) {
            return b;
        }
        if (b.equals(java.security.spec.ECPoint.POINT_INFINITY)) {
            return a;
        }
        BigInteger lambda;
        if (a.getAffineX().equals(b.getAffineX())) {
            if (a.getAffineY().add(b.getAffineY()).mod(p).signum() == 0) {
                return java.security.spec.ECPoint.POINT_INFINITY;
            }
            BigInteger x = a.getAffineX();
            lambda = x.pow(2).multiply(BigInteger.valueOf(3)).add(curveA)
                    .multiply(a.getAffineY().shiftLeft(1).modInverse(p)).mod(p);
        } else {
            lambda = b.getAffineY().subtract(a.getAffineY())
                    .multiply(b.getAffineX().subtract(a.getAffineX()).modInverse(p)).mod(p);
        }
        BigInteger x3 = lambda.pow(2).subtract(a.getAffineX()).subtract(b.getAffineX()).mod(p);
        BigInteger y3 = lambda.multiply(a.getAffineX().subtract(x3)).subtract(a.getAffineY()).mod(p);
        return new java.security.spec.ECPoint(x3, y3);
    }

    private static String jsonString(String s) {
        StringBuilder sb = new StringBuilder("\"");
        for (char c : s.toCharArray()) {
            switch (c) {
                case '"' -> sb.append("\\\"");
                case '\\' -> sb.append("\\\\");
                default -> {
                    if (c < 0x20 || c == '<' || c == '>' || c == '&') {
                        sb.append(String.format("\\u%04x", (int) c)); // Go's json escapes <, > and & too
                    } else {
                        sb.append(c);
                    }
                }
            }
        }
        return sb.append('"').toString();
    }

    /** Go's time.ParseDuration for the ttl option (units h, m, s, ms). */
    private static Duration goDuration(String s) {
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("(\\d+(?:\\.\\d+)?)(h|ms|m|s|us|ns)").matcher(s);
        long nanos = 0;
        int end = 0;
        while (m.find() && m.start() == end) {
            double v = Double.parseDouble(m.group(1));
            long unit = switch (m.group(2)) {
                case "h" -> 3_600_000_000_000L;
                case "m" -> 60_000_000_000L;
                case "s" -> 1_000_000_000L;
                case "ms" -> 1_000_000L;
                case "us" -> 1_000L;
                default -> 1L;
            };
            nanos += (long) (v * unit);
            end = m.end();
        }
        if (end != s.length() || s.isEmpty()) {
            throw new IllegalArgumentException(INVALID_OPTS);
        }
        return Duration.ofNanos(nanos);
    }

    /** Parses "jwt,k=v,..." into its options; etcd's decomposeOpts. */
    static Map<String, String> options(String spec) {
        String[] parts = spec.split(",", -1);
        Map<String, String> opts = new LinkedHashMap<>();
        for (int i = 1; i < parts.length; i++) {
            String[] kv = parts[i].split("=", -1);
            if (kv.length != 2 || opts.containsKey(kv[0])) {
                throw new IllegalArgumentException(INVALID_OPTS);
            }
            opts.put(kv[0], kv[1]);
        }
        return opts;
    }
}
