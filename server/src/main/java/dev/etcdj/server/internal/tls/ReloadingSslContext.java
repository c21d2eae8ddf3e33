package dev.etcdj.server.internal.tls;

import io.grpc.netty.shaded.io.netty.buffer.ByteBufAllocator;
import io.grpc.netty.shaded.io.netty.handler.ssl.ApplicationProtocolNegotiator;
import io.grpc.netty.shaded.io.netty.handler.ssl.SslContext;
import io.grpc.netty.shaded.io.netty.handler.ssl.SslHandler;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.cert.X509Certificate;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.Executor;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLSessionContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A server context whose certificate and key follow their files, as etcd 3.4 does (its tls.Config's
 * {@code GetCertificate} reads {@code --cert-file}/{@code --key-file} at every handshake): each new
 * connection stats both files (a stat, not a parse) and, when either changed (time, size or inode),
 * the pair is read and a new context built for this and later connections. Connections already open
 * keep their session.
 *
 * <p>Unlike etcd, which fails every handshake while the pair on disk is unusable (a half-written
 * file, a key that does not match the certificate), the last good pair stays in use; the problem is
 * logged once per change of the files, and the pair is tried again when they change, or at most once
 * a second while it stays bad (a rewrite can keep the same size and time stamp).
 *
 * <p>A rewrite in place can also keep size, inode and time stamp when it lands within the file
 * system's time-stamp granularity of the write before (up to 2 s on some). So while a loaded file's
 * time stamp is that recent, each new connection also compares the files' contents with what was
 * loaded (a few KB read and hashed), and once more after that window, before trusting the stat alone.
 */
final class ReloadingSslContext extends SslContext {

    private static final Logger LOG = LoggerFactory.getLogger("etcdj.embed.ServerSsl");
    private static final long RETRY_BAD_NANOS = 1_000_000_000L;
    /** The coarsest time-stamp granularity of a common file system (FAT's 2 s). */
    private static final long RACY_MILLIS = 2_000;

    /** Builds a context from a parsed pair; the rest of the TLS settings are fixed at start. */
    interface Builder {
        SslContext build(PrivateKey key, X509Certificate[] chain) throws IOException, GeneralSecurityException;
    }

    /** What changes when a file is replaced: in place (time, size) or renamed over (inode). */
    private record Stamp(FileTime modified, long size, Object fileKey) {
        static Stamp of(Path p) {
            try {
                BasicFileAttributes a = Files.readAttributes(p, BasicFileAttributes.class);
                return new Stamp(a.lastModifiedTime(), a.size(), a.fileKey());
            } catch (IOException e) {
                return new Stamp(null, -1, null); // missing (mid-rename): a change; loading it will fail
            }
        }
    }

    /**
     * A loaded pair. {@code racyUntil}: until then a same-tick rewrite could hide behind an
     * unchanged stamp (0: past that, and the contents were checked once after it).
     */
    private record Loaded(SslContext context, Stamp cert, Stamp key, byte[] digest, long racyUntil) {
        Loaded settled() {
            return new Loaded(context, cert, key, digest, 0);
        }
    }

    /** What load parsed: the files' bytes as read, and the context built from them. */
    private record Read(SslContext context, byte[] digest) {}

    private final Path certFile;
    private final Path keyFile;
    private final Builder builder;
    private volatile Loaded loaded;
    // Guarded by this: the last pair that failed to load, so that it is reported once.
    private Stamp badCert;
    private Stamp badKey;
    private long badAt;

    private ReloadingSslContext(Path certFile, Path keyFile, Builder builder, Loaded first) {
        this.certFile = certFile;
        this.keyFile = keyFile;
        this.builder = builder;
        this.loaded = first;
    }

    /**
     * Loads the pair now, as etcd checks it at start.
     *
     * @throws IOException when a file cannot be read
     * @throws GeneralSecurityException when they do not hold a valid, matching pair
     */
    static ReloadingSslContext create(Path certFile, Path keyFile, Builder builder)
            throws IOException, GeneralSecurityException {
        Stamp c = Stamp.of(certFile);
        Stamp k = Stamp.of(keyFile);
        return new ReloadingSslContext(certFile, keyFile, builder, loaded(load(certFile, keyFile, builder), c, k));
    }

    private static Loaded loaded(Read read, Stamp c, Stamp k) {
        long newest = Math.max(millis(c), millis(k));
        return new Loaded(read.context, c, k, read.digest, newest + RACY_MILLIS);
    }

    private static long millis(Stamp s) {
        return s.modified == null ? Long.MAX_VALUE - RACY_MILLIS : s.modified.toMillis();
    }

    /** SHA-256 of both files as they are now: what a rewrite that keeps the stamp would change. */
    private static byte[] digest(byte[] cert, byte[] key) {
        try {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            md.update(cert);
            md.update(key);
            return md.digest();
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }

    private byte[] currentDigest() {
        try {
            return digest(Files.readAllBytes(certFile), Files.readAllBytes(keyFile));
        } catch (IOException e) {
            return new byte[0]; // unreadable: a change, which loading reports
        }
    }

    private static Read load(Path certFile, Path keyFile, Builder builder)
            throws IOException, GeneralSecurityException {
        X509Certificate[] chain;
        PrivateKey key;
        byte[] certBytes = Files.readAllBytes(certFile);
        byte[] keyBytes = Files.readAllBytes(keyFile);
        try {
            chain = toX509Certificates(new ByteArrayInputStream(certBytes));
            key = toPrivateKey(new ByteArrayInputStream(dev.etcdj.proto.internal.PemKeys.pkcs8Pem(
                    new String(keyBytes, StandardCharsets.US_ASCII), keyFile.toString())), null);
        } catch (IllegalArgumentException e) {
            throw new GeneralSecurityException(e.getMessage(), e); // Netty's words for a file with no PEM block
        }
        if (chain.length == 0) {
            throw new GeneralSecurityException("no certificate found in " + certFile);
        }
        if (key == null) {
            throw new GeneralSecurityException("no private key found in " + keyFile);
        }
        checkMatch(key, chain[0]);
        return new Read(builder.build(key, chain), digest(certBytes, keyBytes));
    }

    /**
     * Go's X509KeyPair refuses a key that is not the certificate's: signs a few bytes with the key and
     * checks them with the certificate's public key (key types with no signature named here pass).
     */
    static void checkMatch(PrivateKey key, X509Certificate cert) throws GeneralSecurityException {
        String alg = switch (key.getAlgorithm()) {
            case "EC" -> "SHA256withECDSA";
            case "RSA" -> "SHA256withRSA";
            case "EdDSA", "Ed25519", "Ed448" -> key.getAlgorithm();
            default -> null;
        };
        if (alg == null) {
            return;
        }
        byte[] probe = "etcdj key pair check".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        Signature s = Signature.getInstance(alg);
        s.initSign(key);
        s.update(probe);
        byte[] sig = s.sign();
        Signature v = Signature.getInstance(alg);
        try {
            v.initVerify(cert.getPublicKey());
            v.update(probe);
            if (v.verify(sig)) {
                return;
            }
        } catch (java.security.InvalidKeyException | java.security.SignatureException e) {
            // a public key of another type: not the pair either
        }
        throw new GeneralSecurityException("tls: private key does not match public key");
    }

    /** The context for a new connection: the files' current pair, or the last good one. */
    SslContext current() {
        Loaded l = loaded;
        Stamp c = Stamp.of(certFile);
        Stamp k = Stamp.of(keyFile);
        if (c.equals(l.cert) && k.equals(l.key) && l.racyUntil == 0) {
            return l.context;
        }
        synchronized (this) {
            l = loaded;
            if (c.equals(l.cert) && k.equals(l.key)) {
                if (l.racyUntil == 0) {
                    return l.context;
                }
                boolean racy = System.currentTimeMillis() < l.racyUntil;
                if (Arrays.equals(currentDigest(), l.digest)) {
                    if (!racy) {
                        loaded = l.settled(); // a later rewrite must now change the time stamp
                    }
                    return l.context;
                }
                // Rewritten within the time stamp's granularity: the stamp cannot tell, the bytes did.
            }
            boolean sameBad = c.equals(badCert) && k.equals(badKey);
            if (sameBad && System.nanoTime() - badAt < RETRY_BAD_NANOS) {
                return l.context;
            }
            try {
                Read next = load(certFile, keyFile, builder);
                loaded = loaded(next, c, k);
                badCert = null;
                badKey = null;
                LOG.atInfo().addKeyValue("cert-file", certFile).addKeyValue("key-file", keyFile)
                        .log("reloaded the client TLS certificate; new connections use it");
                return next.context;
            } catch (IOException | GeneralSecurityException | RuntimeException e) {
                if (!sameBad) {
                    LOG.atWarn().addKeyValue("cert-file", certFile).addKeyValue("key-file", keyFile)
                            .addKeyValue("error", e.getMessage())
                            .log("cannot load the changed TLS certificate; new connections keep the last good one");
                }
                badCert = c;
                badKey = k;
                badAt = System.nanoTime();
                return l.context;
            }
        }
    }

    // Settings fixed at start: every context built has the same.

    @Override
    public boolean isClient() {
        return false;
    }

    @Override
    public List<String> cipherSuites() {
        return loaded.context.cipherSuites();
    }

    @Override
    public long sessionCacheSize() {
        return loaded.context.sessionCacheSize();
    }

    @Override
    public long sessionTimeout() {
        return loaded.context.sessionTimeout();
    }

    @Override
    public ApplicationProtocolNegotiator applicationProtocolNegotiator() {
        return loaded.context.applicationProtocolNegotiator();
    }

    @Override
    public SSLSessionContext sessionContext() {
        return loaded.context.sessionContext();
    }

    // Per connection: the current pair's context.

    @Override
    public SSLEngine newEngine(ByteBufAllocator alloc) {
        return current().newEngine(alloc);
    }

    @Override
    public SSLEngine newEngine(ByteBufAllocator alloc, String peerHost, int peerPort) {
        return current().newEngine(alloc, peerHost, peerPort);
    }

    @Override
    protected SslHandler newHandler(ByteBufAllocator alloc, boolean startTls) {
        return current().newHandler(alloc); // servers never start TLS late
    }

    @Override
    protected SslHandler newHandler(ByteBufAllocator alloc, boolean startTls, Executor executor) {
        return current().newHandler(alloc, executor);
    }

    @Override
    protected SslHandler newHandler(ByteBufAllocator alloc, String peerHost, int peerPort, boolean startTls) {
        return current().newHandler(alloc, peerHost, peerPort);
    }

    @Override
    protected SslHandler newHandler(ByteBufAllocator alloc, String peerHost, int peerPort, boolean startTls,
            Executor executor) {
        return current().newHandler(alloc, peerHost, peerPort, executor);
    }

    @Override
    public String toString() {
        return "ReloadingSslContext[" + Objects.toString(certFile) + ", " + keyFile + "]";
    }
}
