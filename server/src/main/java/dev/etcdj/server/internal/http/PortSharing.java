package dev.etcdj.server.internal.http;

import io.grpc.Attributes;
import io.grpc.Grpc;
import io.grpc.InternalChannelz;
import io.grpc.SecurityLevel;
import io.grpc.ServerCredentials;
import io.grpc.internal.GrpcAttributes;
import io.grpc.netty.shaded.io.grpc.netty.GrpcHttp2ConnectionHandler;
import io.grpc.netty.shaded.io.grpc.netty.InternalNettyServerCredentials;
import io.grpc.netty.shaded.io.grpc.netty.InternalProtocolNegotiationEvent;
import io.grpc.netty.shaded.io.grpc.netty.InternalProtocolNegotiator;
import io.grpc.netty.shaded.io.grpc.netty.InternalProtocolNegotiators;
import io.grpc.netty.shaded.io.grpc.netty.ProtocolNegotiationEvent;
import io.grpc.netty.shaded.io.netty.buffer.ByteBuf;
import io.grpc.netty.shaded.io.netty.buffer.Unpooled;
import io.grpc.netty.shaded.io.netty.channel.ChannelHandler;
import io.grpc.netty.shaded.io.netty.channel.ChannelHandlerContext;
import io.grpc.netty.shaded.io.netty.channel.ChannelInboundHandlerAdapter;
import io.grpc.netty.shaded.io.netty.handler.ssl.SslContext;
import io.grpc.netty.shaded.io.netty.handler.ssl.SslHandler;
import io.grpc.netty.shaded.io.netty.handler.ssl.SslHandshakeCompletionEvent;
import io.grpc.netty.shaded.io.netty.util.AsciiString;
import io.grpc.netty.shaded.io.netty.util.concurrent.ScheduledFuture;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.List;
import java.util.function.Supplier;
import javax.net.ssl.SSLSession;

/**
 * etcd's cmux for grpc-java: gRPC and HTTP/1.1 on one port, TLS included. It plugs in as gRPC's own
 * protocol negotiator, so a gRPC connection ends up with exactly the pipeline gRPC would have built
 * (no proxy hop): the negotiation handler first terminates TLS when the listener has a
 * certificate, then looks at the first bytes the client sends. The HTTP/2 connection preface hands
 * the connection to gRPC's handler (behind a {@link FrameCopier}), anything else gets the HTTP/1.1
 * codec and our HTTP handlers. Nothing is read before the server is ready to serve (the store
 * recovered): a connection made earlier waits, as in etcd's listen backlog.
 */
public final class PortSharing {
    private static final byte[] H2_PREFACE = "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n".getBytes(StandardCharsets.US_ASCII);
    /** How long a new connection may stay silent before it is closed (gRPC's own handshake timeout). */
    private static final long FIRST_BYTES_TIMEOUT_SECONDS = 120;
    /**
     * {@code -Detcdj.internal.copyInboundFrames=false} leaves the {@link FrameCopier} out, for measuring
     * what it costs only: without it a flood of large requests can exhaust direct memory.
     */
    private static final boolean COPY_FRAMES = !"false".equals(System.getProperty("etcdj.internal.copyInboundFrames"));

    private PortSharing() {
    }

    /**
     * Credentials for {@code NettyServerBuilder.forAddress(address, credentials)}.
     *
     * @param ssl the listener's TLS context, or null for plain text
     * @param http makes the HTTP/1.1 handlers for a connection that is not HTTP/2, in pipeline order
     * @param ready completes when the server serves: until then connections wait unread (their TLS
     *     handshake aside); cancelled, it closes them
     */
    public static ServerCredentials credentials(SslContext ssl, Supplier<List<ChannelHandler>> http,
            CompletableFuture<Void> ready) {
        return InternalNettyServerCredentials.create(new InternalProtocolNegotiator.ProtocolNegotiator() {
            @Override
            public AsciiString scheme() {
                return AsciiString.of(ssl == null ? "http" : "https");
            }

            @Override
            public ChannelHandler newHandler(GrpcHttp2ConnectionHandler grpc) {
                ChannelHandler toGrpc = InternalProtocolNegotiators.grpcNegotiationHandler(grpc);
                return InternalProtocolNegotiators.waitUntilActiveHandler(new Sniffer(toGrpc, ssl, http, ready),
                        grpc.getNegotiationLogger());
            }

            @Override
            public void close() {
            }
        });
    }

    /** Decides, from the first (decrypted) bytes, who gets the connection; then leaves the pipeline. */
    private static final class Sniffer extends ChannelInboundHandlerAdapter {
        private final ChannelHandler toGrpc;
        private final SslContext ssl;
        private final Supplier<List<ChannelHandler>> http;
        private final CompletableFuture<Void> ready;
        private boolean waiting;
        private ProtocolNegotiationEvent negotiation;
        private ByteBuf seen = Unpooled.EMPTY_BUFFER;
        private ScheduledFuture<?> timeout;

        Sniffer(ChannelHandler toGrpc, SslContext ssl, Supplier<List<ChannelHandler>> http,
                CompletableFuture<Void> ready) {
            this.toGrpc = toGrpc;
            this.ssl = ssl;
            this.http = http;
            this.ready = ready;
        }

        @Override
        public void handlerAdded(ChannelHandlerContext ctx) {
            if (ssl != null) {
                ctx.pipeline().addBefore(ctx.name(), null, ssl.newHandler(ctx.alloc()));
            }
            timeout = ctx.executor().schedule(() -> ctx.close(), FIRST_BYTES_TIMEOUT_SECONDS, TimeUnit.SECONDS);
        }

        @Override
        public void userEventTriggered(ChannelHandlerContext ctx, Object evt) throws Exception {
            if (evt instanceof ProtocolNegotiationEvent pne) {
                negotiation = pne;
            } else if (evt instanceof SslHandshakeCompletionEvent done) {
                if (!done.isSuccess()) {
                    ctx.fireExceptionCaught(done.cause()); // gRPC's buffering handler closes the channel
                    return;
                }
                SSLSession session = ctx.pipeline().get(SslHandler.class).engine().getSession();
                Attributes attrs = InternalProtocolNegotiationEvent.getAttributes(negotiation).toBuilder()
                        .set(GrpcAttributes.ATTR_SECURITY_LEVEL, SecurityLevel.PRIVACY_AND_INTEGRITY)
                        .set(Grpc.TRANSPORT_ATTR_SSL_SESSION, session)
                        .build();
                negotiation = InternalProtocolNegotiationEvent.withSecurity(
                        InternalProtocolNegotiationEvent.withAttributes(negotiation, attrs),
                        new InternalChannelz.Security(new InternalChannelz.Tls(session)));
            } else {
                super.userEventTriggered(ctx, evt);
            }
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            if (!(msg instanceof ByteBuf in)) {
                ctx.fireChannelRead(msg);
                return;
            }
            if (seen.isReadable()) {
                seen = Unpooled.wrappedBuffer(seen, in);
            } else {
                seen.release(); // an empty read before (releasing EMPTY_BUFFER does nothing)
                seen = in;
            }
            if (!ready.isDone()) {
                if (!waiting) {
                    waiting = true;
                    // Read no further meanwhile: the bytes wait in the socket, as in a backlog.
                    ctx.channel().config().setAutoRead(false);
                    ready.whenComplete((ok, failed) -> ctx.executor().execute(() -> {
                        if (failed != null) {
                            ctx.close(); // the server did not start
                        } else if (!ctx.isRemoved()) {
                            ctx.channel().config().setAutoRead(true);
                            decide(ctx);
                        }
                    }));
                }
                return;
            }
            decide(ctx);
        }

        /** Hands the connection over once its first bytes tell who gets it. */
        private void decide(ChannelHandlerContext ctx) {
            int n = Math.min(seen.readableBytes(), H2_PREFACE.length);
            for (int i = 0; i < n; i++) {
                if (seen.getByte(seen.readerIndex() + i) != H2_PREFACE[i]) {
                    handOver(ctx, false);
                    return;
                }
            }
            if (n == H2_PREFACE.length) {
                handOver(ctx, true);
            }
        }

        private void handOver(ChannelHandlerContext ctx, boolean grpc) {
            timeout.cancel(false);
            if (grpc) {
                ctx.pipeline().addAfter(ctx.name(), null, toGrpc);
                // Between us and gRPC's handler: held request frames then pin only their own bytes.
                if (COPY_FRAMES) {
                    ctx.pipeline().addAfter(ctx.name(), null, new FrameCopier());
                }
                ctx.fireUserEventTriggered(negotiation); // toGrpc swaps itself for gRPC's HTTP/2 handler
            } else {
                String after = ctx.name();
                for (ChannelHandler h : http.get()) {
                    ctx.pipeline().addAfter(after, null, h);
                    after = ctx.pipeline().context(h).name();
                }
            }
            ByteBuf bytes = seen;
            seen = Unpooled.EMPTY_BUFFER;
            ctx.pipeline().remove(this);
            ctx.fireChannelRead(bytes);
        }

        @Override
        public void handlerRemoved(ChannelHandlerContext ctx) {
            if (timeout != null) {
                timeout.cancel(false);
            }
            if (seen.refCnt() > 0 && seen != Unpooled.EMPTY_BUFFER) {
                seen.release();
                seen = Unpooled.EMPTY_BUFFER;
            }
        }
    }
}
