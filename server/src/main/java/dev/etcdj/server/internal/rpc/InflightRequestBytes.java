package dev.etcdj.server.internal.rpc;

import dev.etcdj.proto.internal.WireError;
import io.grpc.Metadata;
import io.grpc.MethodDescriptor;
import io.grpc.ServerServiceDefinition;
import io.grpc.ServerStreamTracer;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.netty.shaded.io.netty.util.internal.PlatformDependent;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.logging.Filter;
import java.util.logging.Logger;

/**
 * The server's budget of request bytes in flight, so that many large requests at once get etcd's
 * "etcdserver: too many requests" (RESOURCE_EXHAUSTED) instead of exhausting the JVM's memory.
 *
 * <p>grpc-netty assembles each request message in direct memory before any interceptor sees it,
 * and returns flow-control window as it assembles, so neither HTTP/2 flow control nor an
 * interceptor bounds it: 300 concurrent 1.5 MiB puts on one connection all arrive at once,
 * interleaved, and none is complete before the memory is gone. Bytes are therefore counted where
 * they are assembled: a stream tracer is told of every chunk moved into a message, and the chunk
 * that would take the total past the budget fails that stream (grpc-java cancels it, frees its
 * buffers and sends the status as trailers). A call that sends one message (unary, server
 * streaming) keeps its bytes counted until it ends, which covers its request waiting on the heap
 * for the apply thread; on a client or bidi stream a message is released when the next one starts.
 *
 * <p>What is not counted is bounded by the transport: bytes a stream received before its call
 * asked for a message wait unassembled, within the connection's flow-control window (1 MiB, which
 * grpc-java's automatic tuning may raise to 8 MiB). Counted bytes are the direct memory they hold
 * because each frame arrives in a buffer of its own ({@code http.FrameCopier}); sliced out of the
 * socket's read buffers, held frames kept up to 8 times their size alive.
 */
public final class InflightRequestBytes extends ServerStreamTracer.Factory {
    /** {@code -Detcdj.maxRequestBytesInFlight=N}: the budget when the builder does not set one. */
    public static final String PROPERTY = "etcdj.maxRequestBytesInFlight";

    // grpc-java logs a WARNING with a stack trace for every stream failed while deframing. A refused
    // request is an answer, not a server problem: those records are filtered out (others stay), so a
    // flood of large requests cannot flood the log. Held here: java.util.logging keeps loggers weakly.
    private static final Logger NETTY_STREAM_LOG =
            Logger.getLogger(NettyServerBuilder.class.getPackageName() + ".NettyServerStream");

    static {
        Filter previous = NETTY_STREAM_LOG.getFilter();
        NETTY_STREAM_LOG.setFilter(r -> !(r.getThrown() instanceof Refused)
                && (previous == null || previous.isLoggable(r)));
    }

    /**
     * The default budget is this fraction of the memory limit: counted bytes are held twice for a
     * while (assembled in direct memory, then parsed onto the heap), the pool allocates in size
     * classes and 2 MiB chunks, and the uncounted transport window comes on top.
     */
    static final int MEMORY_SHARE = 16;

    private final long limit;
    private final AtomicLong used = new AtomicLong();
    private final AtomicLong refused = new AtomicLong();
    private final Map<String, Boolean> oneRequest = new HashMap<>();

    /**
     * @param limit the budget in bytes, at least one message of the transport's hard cap
     * @param services the services served, to tell calls sending one message from streams
     */
    public InflightRequestBytes(long limit, List<ServerServiceDefinition> services) {
        this.limit = limit;
        for (ServerServiceDefinition def : services) {
            def.getMethods().forEach(m -> oneRequest.put(m.getMethodDescriptor().getFullMethodName(),
                    m.getMethodDescriptor().getType().clientSendsOneMessage()));
        }
    }

    /**
     * The budget: {@code configured} when positive, else the {@value #PROPERTY} property, else a
     * sixteenth of the smaller of the heap and the direct memory limit (a request is first assembled in
     * direct memory, then parsed onto the heap; see {@link #MEMORY_SHARE}), never below two messages of
     * the transport's hard cap.
     */
    public static long resolve(long configured, long hardCapBytes) {
        if (configured > 0) {
            return configured;
        }
        String property = System.getProperty(PROPERTY);
        if (property != null && !property.isBlank()) {
            long value;
            try {
                value = Long.parseLong(property.trim());
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException(PROPERTY + " is not a number of bytes: " + property, e);
            }
            if (value < 2 * hardCapBytes) {
                throw new IllegalArgumentException(PROPERTY + "=" + value + " cannot hold two of the largest requests"
                        + " the transport accepts (" + hardCapBytes + " bytes each)");
            }
            return value;
        }
        long memory = Math.min(PlatformDependent.maxDirectMemory(), Runtime.getRuntime().maxMemory());
        return Math.max(2 * hardCapBytes, memory / MEMORY_SHARE);
    }

    public long limit() {
        return limit;
    }

    /** Bytes counted right now. */
    public long used() {
        return used.get();
    }

    /** Streams refused so far. */
    public long refused() {
        return refused.get();
    }

    @Override
    public ServerStreamTracer newServerStreamTracer(String fullMethodName, Metadata headers) {
        return new Tracer(oneRequest.getOrDefault(fullMethodName, true));
    }

    private boolean tryAcquire(long n) {
        while (true) {
            long u = used.get();
            if (u + n > limit) {
                return false;
            }
            if (used.compareAndSet(u, u + n)) {
                return true;
            }
        }
    }

    /** One stream's counted bytes. Deframing calls come from the transport thread, the close from any. */
    private final class Tracer extends ServerStreamTracer {
        private final boolean oneRequest;
        private long current;   // bytes of the message being assembled (or the only one)
        private long previous;  // a stream's last complete message, until the next one starts
        private boolean done;

        Tracer(boolean oneRequest) {
            this.oneRequest = oneRequest;
        }

        @Override
        public synchronized void inboundMessage(int seqNo) {
            if (!oneRequest) {
                used.addAndGet(-previous);
                previous = current;
                current = 0;
            }
        }

        @Override
        public void inboundWireSize(long bytes) {
            if (bytes <= 0) {
                return;
            }
            synchronized (this) {
                if (done) {
                    return;
                }
                if (tryAcquire(bytes)) {
                    current += bytes;
                    return;
                }
                releaseAll();
            }
            refused.incrementAndGet();
            throw new Refused();
        }

        @Override
        public synchronized void streamClosed(Status status) {
            releaseAll();
        }

        private void releaseAll() {
            used.addAndGet(-(current + previous));
            current = 0;
            previous = 0;
            done = true;
        }
    }

    /** The refusal, thrown into the deframer: grpc-java fails the stream with its status. No stack trace. */
    static final class Refused extends StatusRuntimeException {
        private static final long serialVersionUID = 1L;

        Refused() {
            super(WireError.TOO_MANY_REQUESTS.status());
        }

        @Override
        public synchronized Throwable fillInStackTrace() {
            return this;
        }
    }
}
