package dev.etcdj.client.internal;

import dev.etcdj.client.internal.tls.FileBacked;
import io.grpc.netty.shaded.io.netty.handler.ssl.DelegatingSslContext;
import io.grpc.netty.shaded.io.netty.handler.ssl.SslContext;
import java.util.Enumeration;
import java.util.List;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLSession;
import javax.net.ssl.SSLSessionContext;

/**
 * The client's TLS context when its key or trust material comes from files. Before each new
 * connection it looks whether the files changed; if so it forgets the cached TLS sessions, since a
 * resumed session would skip the handshake that presents (and checks) the new certificates.
 */
final class RotatingSslContext extends DelegatingSslContext {
    private final List<FileBacked> sources;
    private long seen;

    RotatingSslContext(SslContext ctx, List<FileBacked> sources) {
        super(ctx);
        this.sources = List.copyOf(sources);
        this.seen = generations();
    }

    private long generations() {
        long sum = 0;
        for (FileBacked f : sources) {
            sum += f.generation();
        }
        return sum;
    }

    @Override
    protected synchronized void initEngine(SSLEngine engine) {
        long now = generations();
        if (now != seen) {
            seen = now;
            SSLSessionContext sessions = sessionContext();
            for (Enumeration<byte[]> ids = sessions.getIds(); ids.hasMoreElements();) {
                SSLSession s = sessions.getSession(ids.nextElement());
                if (s != null) {
                    s.invalidate();
                }
            }
        }
    }
}
