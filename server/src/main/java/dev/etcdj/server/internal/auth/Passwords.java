package dev.etcdj.server.internal.auth;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.regex.Pattern;
import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.PBEKeySpec;
import org.bouncycastle.crypto.generators.OpenBSDBCrypt;

/**
 * Password hashes as etcd stores them in {@code authpb.User.password}: bcrypt's modular crypt text
 * {@code $2a$<cost>$<salt><hash>} (what Go's {@code golang.org/x/crypto/bcrypt} writes), so users
 * keep their passwords when a snapshot moves between etcd and etcdj. Like Go's bcrypt, only the
 * first 72 bytes of the UTF-8 password count.
 *
 * <p>etcdj releases before bcrypt stored {@code pbkdf2-sha256$iterations$salt$hash}; such hashes
 * still verify ({@link #isLegacy}), and a successful login rewrites them as bcrypt.
 */
final class Passwords {
    /** Go's bcrypt.MinCost, MaxCost and DefaultCost (etcd's --bcrypt-cost range and default). */
    static final int MIN_COST = 4;
    static final int MAX_COST = 31;
    static final int DEFAULT_COST = 10;
    private static final String LEGACY_PREFIX = "pbkdf2-sha256$";
    private static final int SALT_BYTES = 16;
    /** The modular crypt text bcrypt implementations write: version, two-digit cost, 22 + 31 base-64 chars. */
    private static final Pattern BCRYPT = Pattern.compile("\\$2[aby]\\$(0[4-9]|[12][0-9]|3[01])\\$[./A-Za-z0-9]{53}");
    private static final SecureRandom RANDOM = new SecureRandom();

    private Passwords() {
    }

    /** A fresh bcrypt hash at this cost ({@link #MIN_COST}..{@link #MAX_COST}), as ASCII bytes. */
    static byte[] hash(String password, int cost) {
        byte[] salt = new byte[SALT_BYTES];
        RANDOM.nextBytes(salt);
        return OpenBSDBCrypt.generate("2a", password.getBytes(StandardCharsets.UTF_8), salt, cost)
                .getBytes(StandardCharsets.US_ASCII);
    }

    /** Whether the password matches a stored bcrypt hash (or an older etcdj PBKDF2 one). */
    static boolean verify(String password, byte[] stored) {
        String text = new String(stored, StandardCharsets.US_ASCII);
        if (text.startsWith(LEGACY_PREFIX)) {
            return verifyLegacy(password, text);
        }
        if (!BCRYPT.matcher(text).matches()) {
            // not a bcrypt hash (empty, truncated, another scheme): no password matches it, as in etcd
            return false;
        }
        return OpenBSDBCrypt.checkPassword(text, password.getBytes(StandardCharsets.UTF_8));
    }

    /** A hash written by etcdj before it stored bcrypt: rewritten after the next successful login. */
    static boolean isLegacy(byte[] stored) {
        return new String(stored, StandardCharsets.US_ASCII).startsWith(LEGACY_PREFIX);
    }

    private static boolean verifyLegacy(String password, String text) {
        String[] parts = text.split("\\$");
        if (parts.length != 4) {
            return false;
        }
        try {
            int iterations = Integer.parseInt(parts[1]);
            byte[] salt = Base64.getDecoder().decode(parts[2]);
            byte[] expected = Base64.getDecoder().decode(parts[3]);
            PBEKeySpec spec = new PBEKeySpec(password.toCharArray(), salt, iterations, expected.length * 8);
            try {
                byte[] derived = SecretKeyFactory.getInstance("PBKDF2WithHmacSHA256").generateSecret(spec).getEncoded();
                return MessageDigest.isEqual(expected, derived);
            } finally {
                spec.clearPassword();
            }
        } catch (IllegalArgumentException e) {
            // a malformed field (iterations, base64, empty hash): the record matches no password
            return false;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("PBKDF2WithHmacSHA256 unavailable", e);
        }
    }
}
