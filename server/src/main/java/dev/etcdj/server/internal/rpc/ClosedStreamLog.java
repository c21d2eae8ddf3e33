package dev.etcdj.server.internal.rpc;

import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.netty.shaded.io.netty.handler.codec.http2.Http2Error;
import io.grpc.netty.shaded.io.netty.handler.codec.http2.Http2Exception;
import java.util.concurrent.atomic.AtomicLong;
import java.util.logging.Filter;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

/**
 * Keeps a client that goes away from flooding the server's log. When a connection closes, grpc-java
 * logs a WARNING "Stream Error" with a stack trace for every stream that still had a response waiting
 * for flow-control window ({@code STREAM_CLOSED}: "Stream closed before write could take place"): a
 * client that opened 3,000 watch streams, never read, then hung up left over 1,000 stack traces.
 * Those records say only that the peer left with answers unread (grpc-go logs nothing then); they are
 * counted and dropped. Every other record of that logger is kept.
 */
public final class ClosedStreamLog {
    private static final Logger NETTY_HANDLER_LOG =
            Logger.getLogger(NettyServerBuilder.class.getPackageName() + ".NettyServerHandler");
    private static final AtomicLong DROPPED = new AtomicLong();

    static {
        // Held in a static field: java.util.logging keeps loggers weakly and would forget the filter.
        Filter previous = NETTY_HANDLER_LOG.getFilter();
        NETTY_HANDLER_LOG.setFilter(r -> keep(r) && (previous == null || previous.isLoggable(r)));
    }

    private ClosedStreamLog() {
    }

    /** Installs the filter (once, whatever the number of calls). */
    static void install() {
        // the static initializer did it
    }

    /** How many records the filter dropped in this JVM. */
    public static long dropped() {
        return DROPPED.get();
    }

    static boolean keep(LogRecord r) {
        if (r.getThrown() instanceof Http2Exception.StreamException e && e.error() == Http2Error.STREAM_CLOSED) {
            DROPPED.incrementAndGet();
            return false;
        }
        return true;
    }
}
