package dev.etcdj.testing;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.Key;
import java.security.KeyStore;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

/**
 * Certificates for TLS tests, made at test time with the JDK's keytool (no openssl, no files in git):
 * a CA ({@code ca.crt}), an unrelated second CA ({@code otherca.crt}), a server certificate for
 * 127.0.0.1/localhost ({@code server.crt}, {@code server.key}) and a client certificate
 * ({@code client.crt}, {@code client.key}), both signed by the first CA, and a client certificate
 * signed by the other CA ({@code stranger.crt}, {@code stranger.key}), and an RSA client certificate
 * signed by the first CA ({@code client-rsa.crt}, {@code client-rsa.key}). Keys are PKCS#8 PEM, EC P-256
 * but for the RSA one (2048 bits), valid for two days.
 */
public final class TestCerts {

    private static final String PASSWORD = "changeit";
    private final Path dir;

    private TestCerts(Path dir) {
        this.dir = dir;
    }

    /** Writes the whole set into {@code dir} (which must exist). */
    public static TestCerts create(Path dir) throws IOException {
        TestCerts c = new TestCerts(dir);
        c.ca("ca");
        c.ca("otherca");
        c.signed("server", "ca", "san=ip:127.0.0.1,dns:localhost", "eku=serverAuth,clientAuth");
        c.signed("client", "ca", "san=dns:client", "eku=clientAuth");
        c.signed("stranger", "otherca", "san=dns:stranger", "eku=clientAuth");
        c.signed("client-rsa", "ca", "san=dns:client-rsa", "eku=clientAuth", "-keyalg", "RSA", "-keysize", "2048");
        return c;
    }

    /** A file of the set by name, e.g. {@code "ca.crt"} or {@code "client.key"}. */
    public Path file(String name) {
        return dir.resolve(name);
    }

    /** {@link #file} as a string, for command lines. */
    public String path(String name) {
        return file(name).toString();
    }

    private void ca(String name) throws IOException {
        keytool("-genkeypair", "-alias", name, "-keyalg", "EC", "-groupname", "secp256r1", "-dname", "CN=etcdj-test-" + name,
                "-ext", "bc:c", "-validity", "2", "-keystore", path(name + ".p12"), "-storetype", "PKCS12",
                "-storepass", PASSWORD, "-keypass", PASSWORD);
        keytool("-exportcert", "-rfc", "-alias", name, "-keystore", path(name + ".p12"), "-storepass", PASSWORD,
                "-file", path(name + ".crt"));
    }

    /** A key pair ({@code keyAlg}: keytool's flags, EC P-256 when none) and a certificate signed by {@code ca}. */
    private void signed(String name, String ca, String san, String eku, String... keyAlg) throws IOException {
        List<String> gen = new ArrayList<>(List.of("-genkeypair", "-alias", name));
        gen.addAll(keyAlg.length > 0 ? List.of(keyAlg) : List.of("-keyalg", "EC", "-groupname", "secp256r1"));
        gen.addAll(List.of("-dname", "CN=" + name, "-validity", "2", "-keystore", path(name + ".p12"),
                "-storetype", "PKCS12", "-storepass", PASSWORD, "-keypass", PASSWORD));
        keytool(gen.toArray(String[]::new));
        keytool("-certreq", "-alias", name, "-keystore", path(name + ".p12"), "-storepass", PASSWORD,
                "-file", path(name + ".csr"));
        keytool("-gencert", "-alias", ca, "-keystore", path(ca + ".p12"), "-storepass", PASSWORD,
                "-infile", path(name + ".csr"), "-outfile", path(name + ".crt"), "-rfc", "-validity", "2",
                "-ext", san, "-ext", eku, "-ext", "ku=digitalSignature,keyEncipherment");
        Key key;
        try (InputStream in = Files.newInputStream(file(name + ".p12"))) {
            KeyStore ks = KeyStore.getInstance("PKCS12");
            ks.load(in, PASSWORD.toCharArray());
            key = ks.getKey(name, PASSWORD.toCharArray());
        } catch (GeneralSecurityException e) {
            throw new IOException("cannot read the key keytool made for " + name, e);
        }
        String pem = "-----BEGIN PRIVATE KEY-----\n"
                + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(key.getEncoded())
                + "\n-----END PRIVATE KEY-----\n";
        Files.writeString(file(name + ".key"), pem);
    }

    private static void keytool(String... args) throws IOException {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "keytool").toString()));
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        try {
            if (p.waitFor() != 0) {
                throw new IOException("keytool failed: " + cmd + "\n" + out);
            }
        } catch (InterruptedException e) {
            p.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while running keytool", e);
        }
    }
}
