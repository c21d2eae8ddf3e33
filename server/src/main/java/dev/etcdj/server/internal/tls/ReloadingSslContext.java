package dev.etcdj.server.internal.tls;

import dev.etcdj.proto.internal.FileVersions;
import io.grpc.netty.shaded.io.netty.buffer.ByteBufAllocator;
import io.grpc.netty.shaded.io.netty.handler.ssl.ApplicationProtocolNegotiator;
import io.grpc.netty.shaded.io.netty.handler.ssl.SslContext;
import io.grpc.netty.shaded.io.netty.handler.ssl.SslHandler;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.cert.X509Certificate;
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
 * connection asks {@link FileVersions} whether either file changed (a stat each, not a parse; the
 * contents too just after a load) and, when one did, the pair is read and a new context built for
 * this and later connections. Connections already open keep their session.
 *
 * <p>Unlike etcd, which fails every handshake while the pair on disk is unusable (a half-written
 * file, a key that does not match the certificate), the last good pair stays in use; the problem is
 * logged once per change of the files, and the pair is tried again when they change, or at most once
 * a second while it stays bad.
 */
final class ReloadingSslContext extends SslContext {

    private static final Logger LOG = LoggerFactory.getLogger("etcdj.embed.ServerSsl");
    private static final long RETRY_BAD_NANOS = 1_000_000_000L;

    /** Builds a context from a parsed pair; the rest of the TLS settings are fixed at start. */
    interface Builder {
        SslContext build(PrivateKey key, X509Certificate[] chain) throws IOException, GeneralSecurityException;
    }

    private record Loaded(SslContext context, FileVersions.Seen seen) {}

    private final Path certFile;
    private final Path keyFile;
    private final FileVersions versions;
    private final Builder builder;
    private volatile Loaded loaded;
    // Guarded by this: the files as seen at the last load that failed, so that it is reported once.
    private FileVersions.Seen bad;
    private long badAt;

    private ReloadingSslContext(Path certFile, Path keyFile, FileVersions versions, Builder builder, Loaded first) {
        this.certFile = certFile;
        this.keyFile = keyFile;
        this.versions = versions;
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
        FileVersions versions = new FileVersions(List.of(certFile, keyFile));
        FileVersions.Seen seen = versions.look();
        return new ReloadingSslContext(certFile, keyFile, versions, builder,
                new Loaded(load(certFile, keyFile, builder), seen));
    }

    private static SslContext load(Path certFile, Path keyFile, Builder builder)
            throws IOException, GeneralSecurityException {
        X509Certificate[] chain;
        PrivateKey key;
        try {
            chain = toX509Certificates(new ByteArrayInputStream(Files.readAllBytes(certFile)));
            key = toPrivateKey(new ByteArrayInputStream(dev.etcdj.proto.internal.PemKeys.pkcs8Pem(keyFile)), null);
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
        return builder.build(key, chain);
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
        if (!versions.changedSince(l.seen)) {
            return l.context;
        }
        synchronized (this) {
            l = loaded;
            if (!versions.changedSince(l.seen)) {
                return l.context;
            }
            FileVersions.Seen now = versions.look(); // before reading: a write after it is found next time
            boolean sameBad = now.sameAs(bad);
            if (sameBad && System.nanoTime() - badAt < RETRY_BAD_NANOS) {
                return l.context;
            }
            try {
                SslContext next = load(certFile, keyFile, builder);
                loaded = new Loaded(next, now);
                bad = null;
                LOG.atInfo().addKeyValue("cert-file", certFile).addKeyValue("key-file", keyFile)
                        .log("reloaded the client TLS certificate; new connections use it");
                return next;
            } catch (IOException | GeneralSecurityException | RuntimeException e) {
                if (!sameBad) {
                    LOG.atWarn().addKeyValue("cert-file", certFile).addKeyValue("key-file", keyFile)
                            .addKeyValue("error", e.getMessage())
                            .log("cannot load the changed TLS certificate; new connections keep the last good one");
                }
                bad = now;
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
