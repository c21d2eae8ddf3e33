package dev.etcdj.server.internal.tls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.grpc.netty.shaded.io.netty.handler.ssl.SslContext;
import io.grpc.netty.shaded.io.netty.handler.ssl.SslContextBuilder;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.security.GeneralSecurityException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The reload rules: a stat per connection, a parse only on change, the last good pair kept. */
class ReloadingSslContextTest {

    @TempDir
    Path dir;

    private final List<BigInteger> built = new ArrayList<>();

    private SslContext build(java.security.PrivateKey key, java.security.cert.X509Certificate[] chain)
            throws javax.net.ssl.SSLException {
        built.add(chain[0].getSerialNumber());
        return SslContextBuilder.forServer(key, chain).build();
    }

    @Test
    void followsTheFilesAndKeepsTheLastGoodPair() throws Exception {
        SelfSignedCert.Generated a = SelfSignedCert.generate(List.of("127.0.0.1"));
        SelfSignedCert.Generated b = SelfSignedCert.generate(List.of("127.0.0.1"));
        Path cert = dir.resolve("c.pem");
        Path key = dir.resolve("k.pem");
        write(cert, key, a, a);
        ReloadingSslContext ctx = ReloadingSslContext.create(cert, key, this::build);
        SslContext first = ctx.current();
        for (int i = 0; i < 100; i++) {
            assertThat(ctx.current()).isSameAs(first);
        }
        assertThat(built).as("unchanged files are not parsed again").containsExactly(serial(a));

        write(cert, key, b, b);
        SslContext second = ctx.current();
        assertThat(second).isNotSameAs(first);
        assertThat(built).containsExactly(serial(a), serial(b));

        String log = capturingStderr(() -> {
            byte[] half = pem("CERTIFICATE", a.cert().getEncoded()).getBytes(StandardCharsets.US_ASCII);
            Files.write(cert, Arrays.copyOf(half, half.length / 2));
            for (int i = 0; i < 50; i++) {
                assertThat(ctx.current()).as("half-written certificate").isSameAs(second);
            }
            write(cert, key, a, b); // whole, but the key is B's
            for (int i = 0; i < 50; i++) {
                assertThat(ctx.current()).as("mismatched key").isSameAs(second);
            }
        });
        assertThat(log.split("cannot load the changed TLS certificate", -1)).as("logged once per change").hasSize(3);
        assertThat(log).contains("does not match");

        write(cert, key, a, a);
        assertThat(ctx.current()).isNotSameAs(second);
        assertThat(built).containsExactly(serial(a), serial(b), serial(a));
    }

    /**
     * A rewrite in place that keeps size, inode and time stamp (the same tick of a coarse clock) is
     * still seen: while the stamp is recent, and once after, the contents are compared too.
     */
    @Test
    void aRewriteThatKeepsTheStampIsStillSeen() throws Exception {
        SelfSignedCert.Generated a = SelfSignedCert.generate(List.of("127.0.0.1"));
        SelfSignedCert.Generated b = SelfSignedCert.generate(List.of("127.0.0.1"));
        SelfSignedCert.Generated c = SelfSignedCert.generate(List.of("127.0.0.1"));
        Path cert = dir.resolve("c.pem");
        Path key = dir.resolve("k.pem");

        // Within the window: written now, rewritten at once with the same stamp.
        FileTime now = FileTime.fromMillis(System.currentTimeMillis());
        writeSameSize(cert, key, a, b, now);
        ReloadingSslContext ctx = ReloadingSslContext.create(cert, key, this::build);
        SslContext first = ctx.current();
        Object inode = Files.readAttributes(cert, BasicFileAttributes.class).fileKey();
        writeSameSize(cert, key, b, a, now);
        assertThat(Files.readAttributes(cert, BasicFileAttributes.class).fileKey()).isEqualTo(inode);
        SslContext second = ctx.current();
        assertThat(second).as("same stamp, new contents").isNotSameAs(first);
        assertThat(built).containsExactly(serial(a), serial(b));

        // Past the window: a rewrite no connection saw while it was recent is found by the one
        // check after it; then the stat alone decides.
        FileTime old = FileTime.fromMillis(System.currentTimeMillis() - 60_000);
        writeSameSize(cert, key, b, c, old);
        SslContext third = ctx.current();
        assertThat(built).containsExactly(serial(a), serial(b), serial(b));
        writeSameSize(cert, key, c, b, old);
        assertThat(ctx.current()).as("the check after the window").isNotSameAs(third);
        assertThat(built).containsExactly(serial(a), serial(b), serial(b), serial(c));
        SslContext settled = ctx.current();
        for (int i = 0; i < 10; i++) {
            assertThat(ctx.current()).isSameAs(settled);
        }
        assertThat(built).as("settled: not read again").hasSize(4);
    }

    /**
     * Writes {@code certOf}'s certificate (and its key) padded to the size of {@code sizeOf}'s, or
     * the other way round, so the two pairs' files have equal sizes; then sets both time stamps.
     */
    private static void writeSameSize(Path cert, Path key, SelfSignedCert.Generated certOf,
                                      SelfSignedCert.Generated sizeOf, FileTime stamp) throws Exception {
        String c = pem("CERTIFICATE", certOf.cert().getEncoded());
        String k = pem("PRIVATE KEY", certOf.key().getEncoded());
        int cLen = Math.max(c.length(), pem("CERTIFICATE", sizeOf.cert().getEncoded()).length()) + 8;
        int kLen = Math.max(k.length(), pem("PRIVATE KEY", sizeOf.key().getEncoded()).length()) + 8;
        // Text after the PEM block is ignored by the parsers, as by Go's.
        Files.writeString(cert, c + "\n".repeat(cLen - c.length()));
        Files.writeString(key, k + "\n".repeat(kLen - k.length()));
        Files.setLastModifiedTime(cert, stamp);
        Files.setLastModifiedTime(key, stamp);
    }

    @Test
    void aMismatchedPairIsRefusedAtStartAsEtcdDoes() throws Exception {
        SelfSignedCert.Generated a = SelfSignedCert.generate(List.of("127.0.0.1"));
        SelfSignedCert.Generated b = SelfSignedCert.generate(List.of("127.0.0.1"));
        Path cert = dir.resolve("c.pem");
        Path key = dir.resolve("k.pem");
        write(cert, key, a, b);
        assertThatThrownBy(() -> ReloadingSslContext.create(cert, key, this::build))
                .isInstanceOf(GeneralSecurityException.class)
                .hasMessage("tls: private key does not match public key");
    }

    private static BigInteger serial(SelfSignedCert.Generated g) {
        return g.cert().getSerialNumber();
    }

    private static void write(Path cert, Path key, SelfSignedCert.Generated certOf, SelfSignedCert.Generated keyOf)
            throws Exception {
        Files.writeString(cert, pem("CERTIFICATE", certOf.cert().getEncoded()));
        Files.writeString(key, pem("PRIVATE KEY", keyOf.key().getEncoded()));
    }

    private static String pem(String type, byte[] der) {
        return "-----BEGIN " + type + "-----\n"
                + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(der)
                + "\n-----END " + type + "-----\n";
    }

    private interface Body {
        void run() throws Exception;
    }

    /** slf4j-simple writes to System.err as it is at each call. */
    private static String capturingStderr(Body body) throws Exception {
        PrintStream old = System.err;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        System.setErr(new PrintStream(out, true, StandardCharsets.UTF_8));
        try {
            body.run();
        } finally {
            System.setErr(old);
        }
        return out.toString(StandardCharsets.UTF_8);
    }
}
