package dev.etcdj.server.internal.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.spec.ECGenParameterSpec;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** etcd's JWT tokens: jwt-go's header and claims, every sign method, expiry, verify-only keys, option errors. */
class JwtTokensTest {

    @TempDir
    Path dir;

    private static final Clock T0 = Clock.fixed(Instant.ofEpochSecond(1_700_000_000L), ZoneOffset.UTC);

    private static String pem(String type, byte[] der) {
        return "-----BEGIN " + type + "-----\n" + Base64.getMimeEncoder(64, "\n".getBytes()).encodeToString(der)
                + "\n-----END " + type + "-----\n";
    }

    private Map<String, String> keys(String method) throws Exception {
        if (method.startsWith("HS")) {
            Files.writeString(dir.resolve("secret"), "top secret");
            return Map.of("sign-method", method, "priv-key", dir.resolve("secret").toString());
        }
        KeyPair kp;
        if (method.startsWith("ES")) {
            KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
            g.initialize(new ECGenParameterSpec(switch (method) {
                case "ES256" -> "secp256r1";
                case "ES384" -> "secp384r1";
                default -> "secp521r1";
            }));
            kp = g.generateKeyPair();
        } else {
            KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
            g.initialize(2048);
            kp = g.generateKeyPair();
        }
        Files.writeString(dir.resolve("priv.pem"), pem("PRIVATE KEY", kp.getPrivate().getEncoded()));
        Files.writeString(dir.resolve("pub.pem"), pem("PUBLIC KEY", kp.getPublic().getEncoded()));
        return Map.of("sign-method", method, "priv-key", dir.resolve("priv.pem").toString(),
                "pub-key", dir.resolve("pub.pem").toString());
    }

    @ParameterizedTest
    @ValueSource(strings = {"RS256", "RS384", "RS512", "PS256", "PS384", "PS512", "ES256", "ES384", "ES512", "HS256", "HS384", "HS512"})
    void issuesWhatJwtGoIssuesAndVerifiesIt(String method) throws Exception {
        JwtTokens t = JwtTokens.fromOptions(keys(method), T0);
        String token = t.issue("root", 7);
        String[] parts = token.split("\\.");
        assertThat(parts).hasSize(3);
        assertThat(new String(Base64.getUrlDecoder().decode(parts[0]), StandardCharsets.UTF_8))
                .isEqualTo("{\"alg\":\"" + method + "\",\"typ\":\"JWT\"}");
        assertThat(new String(Base64.getUrlDecoder().decode(parts[1]), StandardCharsets.UTF_8))
                .isEqualTo("{\"exp\":1700000300,\"revision\":7,\"username\":\"root\"}");
        assertThat(token).doesNotContain("=");
        assertThat(t.verify(token)).isEqualTo("root");
        // A changed claim breaks the signature.
        String forged = parts[0] + "." + Base64.getUrlEncoder().withoutPadding().encodeToString(
                "{\"exp\":1700000300,\"revision\":7,\"username\":\"admin\"}".getBytes(StandardCharsets.UTF_8)) + "." + parts[2];
        assertThat(t.verify(forged)).isNull();
        assertThat(t.verify("not.a.token")).isNull();
    }

    @Test
    void anEcPrivateKeyAloneSignsAndVerifies() throws Exception {
        Map<String, String> k = keys("ES256");
        JwtTokens t = JwtTokens.fromOptions(Map.of("sign-method", "ES256", "priv-key", k.get("priv-key")), T0);
        assertThat(t.verify(t.issue("u", 1))).isEqualTo("u");
    }

    @Test
    void expiresAfterItsTtlAndRefusesAnotherAlgorithm() throws Exception {
        Map<String, String> k = new java.util.HashMap<>(keys("RS256"));
        k.put("ttl", "10m");
        String token = JwtTokens.fromOptions(k, T0).issue("root", 1);
        Clock later = Clock.offset(T0, Duration.ofMinutes(10).plusSeconds(1));
        assertThat(JwtTokens.fromOptions(k, Clock.offset(T0, Duration.ofMinutes(9))).verify(token)).isEqualTo("root");
        assertThat(JwtTokens.fromOptions(k, later).verify(token)).isNull();
        k.put("sign-method", "RS512");
        assertThat(JwtTokens.fromOptions(k, T0).verify(token)).isNull();
    }

    @Test
    void aPublicKeyAloneOnlyVerifies() throws Exception {
        Map<String, String> k = keys("RS256");
        String token = JwtTokens.fromOptions(k, T0).issue("root", 1);
        JwtTokens verifyOnly = JwtTokens.fromOptions(Map.of("sign-method", "RS256", "pub-key", k.get("pub-key")), T0);
        assertThat(verifyOnly.verify(token)).isEqualTo("root");
        assertThatThrownBy(() -> verifyOnly.issue("root", 1)).hasMessage(JwtTokens.VERIFY_ONLY);
    }

    @Test
    void badOptionsFailWithEtcdsMessages() throws Exception {
        assertThatThrownBy(() -> JwtTokens.fromOptions(Map.of("sign-method", "XX256"), T0)).hasMessage(JwtTokens.INVALID_OPTS);
        assertThatThrownBy(() -> JwtTokens.fromOptions(Map.of("sign-method", "RS256"), T0)).hasMessage(JwtTokens.MISSING_KEY);
        assertThatThrownBy(() -> JwtTokens.options("jwt,sign-method")).hasMessage(JwtTokens.INVALID_OPTS);
        assertThatThrownBy(() -> JwtTokens.options("jwt,ttl=1m,ttl=2m")).hasMessage(JwtTokens.INVALID_OPTS);
        Map<String, String> a = keys("RS256");
        Path otherPub = dir.resolve("other.pem");
        KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
        g.initialize(2048);
        Files.writeString(otherPub, pem("PUBLIC KEY", g.generateKeyPair().getPublic().getEncoded()));
        assertThatThrownBy(() -> JwtTokens.fromOptions(Map.of("sign-method", "RS256", "priv-key", a.get("priv-key"),
                "pub-key", otherPub.toString()), T0)).hasMessage(JwtTokens.KEY_MISMATCH);
    }
}
