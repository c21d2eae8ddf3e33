package dev.etcdj.server.internal.auth;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Base64;
import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.PBEKeySpec;
import org.junit.jupiter.api.Test;

/** bcrypt hashes as etcd 3.4 writes and reads them, and the PBKDF2 ones of older etcdj data dirs. */
class PasswordsTest {
    /** Written by etcd 3.4.23 for "pw" (user add alice:pw), read from its snapshot's authUsers bucket. */
    private static final String ETCD_PW = "$2a$10$qnDSWOShXAkFbDXS2.Jgw.6Bfavbj14yoaOl3pb22vOW/GZP4MCrm";
    /** etcd 3.4.23's hash of {@link #LONG}: 91 UTF-8 bytes, of which Go's bcrypt uses the first 72. */
    private static final String ETCD_LONG = "$2a$10$7pS5REGDJO4aHrUN8qxgBOwSFjXKHazmKJNhNrWLtc2s0ghppOHrS";
    private static final String LONG =
            "pässwörd-0123456789-0123456789-0123456789-0123456789-0123456789-0123456789-0123456789";

    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }

    @Test
    void verifiesHashesEtcdWrote() {
        assertThat(Passwords.verify("pw", ascii(ETCD_PW))).isTrue();
        assertThat(Passwords.verify("pW", ascii(ETCD_PW))).isFalse();
        assertThat(Passwords.verify("", ascii(ETCD_PW))).isFalse();
        assertThat(Passwords.verify(LONG, ascii(ETCD_LONG))).isTrue();
        // beyond byte 72 nothing counts, as in etcd
        assertThat(Passwords.verify(LONG.substring(0, LONG.length() - 5) + "xxxxx", ascii(ETCD_LONG))).isTrue();
        assertThat(Passwords.verify("p" + LONG.substring(1, 60), ascii(ETCD_LONG))).isFalse();
    }

    @Test
    void hashesAsEtcdDoesAtTheGivenCost() {
        byte[] h = Passwords.hash("secret", Passwords.DEFAULT_COST);
        String text = new String(h, StandardCharsets.US_ASCII);
        assertThat(text).matches("\\$2a\\$10\\$[./A-Za-z0-9]{53}");
        assertThat(Passwords.verify("secret", h)).isTrue();
        assertThat(Passwords.verify("secreT", h)).isFalse();
        assertThat(Passwords.isLegacy(h)).isFalse();
        assertThat(new String(Passwords.hash("secret", 4), StandardCharsets.US_ASCII)).startsWith("$2a$04$");
        // fresh salt each time
        assertThat(Passwords.hash("secret", 4)).isNotEqualTo(Passwords.hash("secret", 4));
        byte[] empty = Passwords.hash("", 4);
        assertThat(Passwords.verify("", empty)).isTrue();
        assertThat(Passwords.verify("x", empty)).isFalse();
    }

    @Test
    void noPasswordMatchesWhatIsNotAHash() {
        assertThat(Passwords.verify("", new byte[0])).isFalse();
        assertThat(Passwords.verify("pw", ascii("$2a$10$short"))).isFalse();
        assertThat(Passwords.verify("pw", ascii("plain"))).isFalse();
        assertThat(Passwords.verify("pw", ascii(ETCD_PW.replace("$10$", "$03$")))).isFalse();
        assertThat(Passwords.verify("pw", ascii(ETCD_PW.substring(0, ETCD_PW.length() - 1)))).isFalse();
        assertThat(Passwords.verify("pw", ascii("pbkdf2-sha256$x$y$z"))).isFalse();
        assertThat(Passwords.verify("pw", ascii("pbkdf2-sha256$0$AAAA$"))).isFalse();
    }

    @Test
    void olderEtcdjPbkdf2HashesStillVerify() throws Exception {
        // the exact format etcdj wrote before bcrypt: pbkdf2-sha256$20000$<salt b64>$<256-bit hash b64>, unpadded
        byte[] salt = new byte[16];
        new SecureRandom().nextBytes(salt);
        byte[] derived = SecretKeyFactory.getInstance("PBKDF2WithHmacSHA256")
                .generateSecret(new PBEKeySpec("old-pw".toCharArray(), salt, 20_000, 256)).getEncoded();
        Base64.Encoder b64 = Base64.getEncoder().withoutPadding();
        byte[] stored = ascii("pbkdf2-sha256$20000$" + b64.encodeToString(salt) + "$" + b64.encodeToString(derived));
        assertThat(Passwords.isLegacy(stored)).isTrue();
        assertThat(Passwords.verify("old-pw", stored)).isTrue();
        assertThat(Passwords.verify("old-pW", stored)).isFalse();
    }
}
