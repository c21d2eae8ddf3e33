package dev.etcdj.server.hostile;

import io.grpc.netty.shaded.io.netty.buffer.Unpooled;
import io.grpc.netty.shaded.io.netty.handler.codec.http2.DefaultHttp2HeadersDecoder;
import io.grpc.netty.shaded.io.netty.handler.codec.http2.Http2Exception;
import io.grpc.netty.shaded.io.netty.handler.codec.http2.Http2Headers;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A hand-written HTTP/2 client over a plain socket, so a test can send what no gRPC library
 * would: bad gRPC framing, frames over the size limit, resets in bulk, a watch that never reads.
 * A reader thread answers SETTINGS, decodes response headers and remembers GOAWAY.
 */
final class RawH2 implements AutoCloseable {
    static final int DATA = 0, HEADERS = 1, RST_STREAM = 3, SETTINGS = 4, GOAWAY = 7, WINDOW_UPDATE = 8;

    private final Socket socket;
    private final OutputStream out;
    private final DefaultHttp2HeadersDecoder decoder = new DefaultHttp2HeadersDecoder(false);
    /** grpc-status (or ":status") per stream, once the server sent it. */
    final Map<Integer, String> status = new ConcurrentHashMap<>();
    final Map<Integer, String> message = new ConcurrentHashMap<>();
    final AtomicLong dataBytes = new AtomicLong();
    /** HEADERS frames received (a stream's response headers and its trailers each count). */
    final AtomicLong headersFrames = new AtomicLong();
    final CountDownLatch closed = new CountDownLatch(1);
    volatile Integer goAwayError;

    RawH2(int port, int initialWindow) throws IOException {
        socket = new Socket("127.0.0.1", port);
        socket.setTcpNoDelay(true);
        out = socket.getOutputStream();
        out.write("PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
        byte[] settings = {0, 4, (byte) (initialWindow >>> 24), (byte) (initialWindow >>> 16),
            (byte) (initialWindow >>> 8), (byte) initialWindow};
        frame(SETTINGS, 0, 0, settings);
        Thread t = new Thread(this::read, "raw-h2-reader");
        t.setDaemon(true);
        t.start();
    }

    synchronized void frame(int type, int flags, int stream, byte[] payload) throws IOException {
        frame(type, flags, stream, payload, payload.length);
    }

    /** A frame whose header announces {@code declaredLength} bytes (a lie when it differs from the payload). */
    synchronized void frame(int type, int flags, int stream, byte[] payload, int declaredLength) throws IOException {
        byte[] h = {(byte) (declaredLength >>> 16), (byte) (declaredLength >>> 8), (byte) declaredLength, (byte) type,
            (byte) flags, (byte) (stream >>> 24), (byte) (stream >>> 16), (byte) (stream >>> 8), (byte) stream};
        out.write(h);
        out.write(payload);
        out.flush();
    }

    /** A gRPC request's HEADERS frame (END_HEADERS), literal fields without indexing. */
    void headers(int stream, String path, boolean endStream) throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        literal(b, ":method", "POST");
        literal(b, ":scheme", "http");
        literal(b, ":path", path);
        literal(b, ":authority", "127.0.0.1");
        literal(b, "content-type", "application/grpc");
        literal(b, "te", "trailers");
        frame(HEADERS, 0x4 | (endStream ? 0x1 : 0), stream, b.toByteArray());
    }

    /** A DATA frame holding one gRPC message whose 5-byte prefix announces {@code declared} bytes. */
    void grpcMessage(int stream, byte[] body, long declared, boolean endStream) throws IOException {
        byte[] p = new byte[5 + body.length];
        p[1] = (byte) (declared >>> 24);
        p[2] = (byte) (declared >>> 16);
        p[3] = (byte) (declared >>> 8);
        p[4] = (byte) declared;
        System.arraycopy(body, 0, p, 5, body.length);
        frame(DATA, endStream ? 1 : 0, stream, p);
    }

    void rst(int stream) throws IOException {
        frame(RST_STREAM, 0, stream, new byte[] {0, 0, 0, 8}); // CANCEL
    }

    private static void literal(ByteArrayOutputStream b, String name, String value) {
        b.write(0);
        b.write(name.length());
        b.writeBytes(name.getBytes(StandardCharsets.US_ASCII));
        b.write(value.length());
        b.writeBytes(value.getBytes(StandardCharsets.US_ASCII));
    }

    private void read() {
        try {
            DataInputStream in = new DataInputStream(socket.getInputStream());
            while (true) {
                int len = (in.readUnsignedByte() << 16) | (in.readUnsignedByte() << 8) | in.readUnsignedByte();
                int type = in.readUnsignedByte();
                int flags = in.readUnsignedByte();
                int stream = in.readInt() & 0x7fffffff;
                byte[] p = new byte[len];
                in.readFully(p);
                switch (type) {
                    case SETTINGS -> {
                        if ((flags & 1) == 0) {
                            frame(SETTINGS, 1, 0, new byte[0]);
                        }
                    }
                    case HEADERS -> {
                        headersFrames.incrementAndGet();
                        headersReceived(stream, p, flags);
                    }
                    case DATA -> dataBytes.addAndGet(len);
                    case GOAWAY -> goAwayError = ((p[4] & 0xff) << 24) | ((p[5] & 0xff) << 16) | ((p[6] & 0xff) << 8) | (p[7] & 0xff);
                    default -> { }
                }
            }
        } catch (IOException | Http2Exception e) {
            // the server closed the connection (the end of every test that gets a GOAWAY) or we did
        } finally {
            closed.countDown();
        }
    }

    private void headersReceived(int stream, byte[] p, int flags) throws Http2Exception {
        int from = (flags & 0x8) != 0 ? 1 + p[0] : 0; // PADDED
        if ((flags & 0x20) != 0) {
            from += 5; // PRIORITY
        }
        Http2Headers h = decoder.decodeHeaders(stream, Unpooled.wrappedBuffer(p, from, p.length - from));
        CharSequence s = h.get("grpc-status");
        if (s != null) {
            status.put(stream, s.toString());
            CharSequence m = h.get("grpc-message");
            message.put(stream, m == null ? "" : m.toString());
        }
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
