package dev.etcdj.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A TCP proxy on a free loopback port in front of one endpoint, with faults on demand.
 *
 * <ul>
 *   <li>{@link #dropConnections()} resets every open connection, both the client's and the
 *       upstream side, as a crashed middlebox or a dead network path would. New connections work.
 *   <li>{@link #blackhole(boolean) blackhole(true)} keeps connections open (new ones are still
 *       accepted) but delivers nothing in either direction: a network partition as the client sees
 *       it. Bytes sent meanwhile are held, not lost, and flow once the blackhole is lifted, as TCP
 *       retransmission would deliver them after a partition heals.
 *   <li>{@link #blackhole(Direction)} does the same in one direction only: a one-way partition
 *       (requests arrive but answers never come back, or the other way round).
 *   <li>{@link #delay(Duration)} holds every chunk of bytes for that long before forwarding it: a
 *       slow link.
 *   <li>{@link #blackholeFrom(String, Direction...)} holds only the connections opened by one sender,
 *       named by the {@code X-Server-From} header of the connection's first HTTP request (etcd's
 *       members name themselves so on every peer request): one proxy in front of a member's peer
 *       port can cut that member off from some peers and not others, in one direction or both.
 * </ul>
 *
 * Byte-level forwarding means it carries gRPC (HTTP/2) as well as HTTP/1.1.
 */
public final class FaultProxy implements AutoCloseable {
    private static final AtomicInteger IDS = new AtomicInteger();
    private static final String SENDER_HEADER = "X-Server-From";
    private static final int MAX_HEAD = 8 * 1024;

    private final String scheme;
    private final InetSocketAddress upstream;
    private final ServerSocket server;
    private final Set<Link> links = ConcurrentHashMap.newKeySet();
    private final Object gate = new Object();
    private volatile boolean holdToUpstream;
    private volatile boolean holdToClient;
    private final Set<String> holdToUpstreamFrom = ConcurrentHashMap.newKeySet();
    private final Set<String> holdToClientFrom = ConcurrentHashMap.newKeySet();
    private volatile long delayNanos;
    private volatile boolean closed;

    private FaultProxy(String scheme, InetSocketAddress upstream) throws IOException {
        this.scheme = scheme;
        this.upstream = upstream;
        this.server = new ServerSocket();
        server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        Thread acceptor = new Thread(this::acceptLoop, "fault-proxy-" + IDS.incrementAndGet() + "-accept");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    /** A proxy in front of {@code endpoint}, given as {@code http://host:port} or {@code host:port}. */
    public static FaultProxy start(String endpoint) {
        URI uri = URI.create(endpoint.contains("://") ? endpoint : "http://" + endpoint);
        if (uri.getHost() == null || uri.getPort() < 0) {
            throw new IllegalArgumentException("endpoint needs a host and a port: " + endpoint);
        }
        return start(uri.getScheme(), uri.getHost(), uri.getPort());
    }

    public static FaultProxy start(String host, int port) {
        return start("http", host, port);
    }

    private static FaultProxy start(String scheme, String host, int port) {
        try {
            return new FaultProxy(scheme, new InetSocketAddress(host, port));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start fault proxy for " + host + ":" + port, e);
        }
    }

    /** The proxy's URL, with the scheme of the upstream endpoint: point clients here. */
    public String endpoint() {
        return scheme + "://127.0.0.1:" + port();
    }

    public int port() {
        return server.getLocalPort();
    }

    /** Number of client connections currently open through the proxy. */
    public int activeConnections() {
        return links.size();
    }

    /** Resets every open connection on both sides. Connections made afterwards work normally. */
    public void dropConnections() {
        for (Link link : links) {
            link.close();
        }
        synchronized (gate) {
            gate.notifyAll(); // pumps parked on the blackhole gate must notice their link died
        }
    }

    /** A direction of traffic through the proxy. */
    public enum Direction {
        /** From the client to the upstream endpoint (requests). */
        TO_UPSTREAM,
        /** From the upstream endpoint back to the client (answers). */
        TO_CLIENT
    }

    /**
     * Stops ({@code true}) or resumes ({@code false}) forwarding in both directions. {@code false}
     * also lifts every {@link #blackholeFrom(String, Direction...) per-sender} hold.
     */
    public void blackhole(boolean on) {
        synchronized (gate) {
            holdToUpstream = on;
            holdToClient = on;
            if (!on) {
                holdToUpstreamFrom.clear();
                holdToClientFrom.clear();
            }
            gate.notifyAll();
        }
    }

    /**
     * Stops forwarding, in the given directions (both when none is given), on the connections whose
     * first HTTP request says {@code X-Server-From: <sender>}; other connections flow. For etcd peer
     * traffic the sender is the dialing member's id in hex. {@code blackhole(false)} lifts it.
     */
    public void blackholeFrom(String sender, Direction... directions) {
        Objects.requireNonNull(sender);
        List<Direction> dirs = directions.length == 0 ? List.of(Direction.values()) : List.of(directions);
        synchronized (gate) {
            if (dirs.contains(Direction.TO_UPSTREAM)) {
                holdToUpstreamFrom.add(sender);
            }
            if (dirs.contains(Direction.TO_CLIENT)) {
                holdToClientFrom.add(sender);
            }
            gate.notifyAll();
        }
    }

    /** Stops forwarding in {@code direction} only (a one-way partition); {@code blackhole(false)} lifts it. */
    public void blackhole(Direction direction) {
        synchronized (gate) {
            if (direction == Direction.TO_UPSTREAM) {
                holdToUpstream = true;
            } else {
                holdToClient = true;
            }
            gate.notifyAll();
        }
    }

    /** True while either direction is held, for every sender or for some. */
    public boolean isBlackholed() {
        return holdToUpstream || holdToClient || !holdToUpstreamFrom.isEmpty() || !holdToClientFrom.isEmpty();
    }

    /** Holds each chunk of bytes for {@code delay} before forwarding it, in both directions; zero lifts it. */
    public void delay(Duration delay) {
        if (delay.isNegative()) {
            throw new IllegalArgumentException("negative delay: " + delay);
        }
        delayNanos = delay.toNanos();
    }

    /** Stops listening and resets every connection. Idempotent. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            server.close();
        } catch (IOException alreadyBroken) {
            // Closing a listening socket that is already broken changes nothing for the caller.
        }
        dropConnections();
    }

    @Override
    public String toString() {
        return "FaultProxy[" + endpoint() + " -> " + upstream + (isBlackholed() ? ", blackholed" : "") + "]";
    }

    private void acceptLoop() {
        while (!closed) {
            Socket client;
            try {
                client = server.accept();
            } catch (IOException e) {
                if (closed) {
                    return;
                }
                continue; // e.g. a client that reset before we accepted it; keep serving
            }
            Thread t = new Thread(() -> connect(client), "fault-proxy-connect");
            t.setDaemon(true);
            t.start();
        }
    }

    private void connect(Socket client) {
        Socket up = new Socket();
        try {
            up.connect(upstream, 5_000);
        } catch (IOException e) {
            // Upstream is down: the client sees its connection reset, as close to "refused" as a proxy gets.
            abort(client);
            abort(up);
            return;
        }
        Link link = new Link(client, up);
        links.add(link);
        if (closed) {
            link.close();
            return;
        }
        link.start();
    }

    private void awaitGate(Link link, boolean toUpstream) throws InterruptedException {
        long delay = delayNanos;
        if (delay > 0) {
            Thread.sleep(delay / 1_000_000, (int) (delay % 1_000_000)); // the injected latency itself
        }
        synchronized (gate) {
            while (held(link, toUpstream) && !link.closed && !closed) {
                gate.wait();
            }
        }
    }

    private boolean held(Link link, boolean toUpstream) {
        String sender = link.sender;
        if (toUpstream) {
            return holdToUpstream || sender != null && holdToUpstreamFrom.contains(sender);
        }
        return holdToClient || sender != null && holdToClientFrom.contains(sender);
    }

    /** The value of {@code X-Server-From} in an HTTP request head, or null. */
    static String senderOf(byte[] head, int length) {
        String text = new String(head, 0, length, StandardCharsets.ISO_8859_1);
        for (String line : text.split("\r\n")) {
            int colon = line.indexOf(':');
            if (colon > 0 && line.substring(0, colon).trim().equalsIgnoreCase(SENDER_HEADER)) {
                return line.substring(colon + 1).trim();
            }
        }
        return null;
    }

    private static void abort(Socket s) {
        try {
            s.setSoLinger(true, 0); // close with RST, not FIN: a dropped connection, not a polite goodbye
        } catch (SocketException unconnected) {
            // Socket never connected or already closed; close() below is all that is left to do.
        }
        closeQuietly(s);
    }

    private static void closeQuietly(Socket s) {
        try {
            s.close();
        } catch (IOException closeFailed) {
            // The connection is being dropped anyway: a failed close leaves the caller nothing to do.
        }
    }

    /** One client connection and its upstream twin, pumped by two threads. */
    private final class Link {
        private final Socket client;
        private final Socket up;
        private final AtomicInteger finished = new AtomicInteger();
        private volatile boolean closed;
        private volatile String sender; // from the first request's X-Server-From, null if none
        private final byte[] head = new byte[MAX_HEAD];
        private int headLength = -1;    // bytes of the first request's head read so far (c->u pump); -1 when done

        Link(Socket client, Socket up) {
            this.client = client;
            this.up = up;
        }

        void start() {
            pump(client, up, true);
            pump(up, client, false);
        }

        private void pump(Socket from, Socket to, boolean toUpstream) {
            Thread t = new Thread(() -> {
                byte[] buf = new byte[16 * 1024];
                try {
                    InputStream in = from.getInputStream();
                    OutputStream out = to.getOutputStream();
                    int n;
                    if (toUpstream) {
                        headLength = 0;
                    }
                    while ((n = in.read(buf)) >= 0) {
                        if (toUpstream && headLength >= 0) {
                            readHead(buf, n);
                        }
                        awaitGate(this, toUpstream);
                        if (closed) {
                            return;
                        }
                        out.write(buf, 0, n);
                        out.flush();
                    }
                    // Orderly end of one direction: pass the half-close on, keep the other direction.
                    to.shutdownOutput();
                    if (finished.incrementAndGet() == 2) {
                        close(false);
                    }
                } catch (IOException | InterruptedException e) {
                    close();
                }
            }, "fault-proxy-" + (toUpstream ? "c->u" : "u->c"));
            t.setDaemon(true);
            t.start();
        }

        /** Collects the first request's head; once it is complete (or too long), names the sender. */
        private void readHead(byte[] buf, int n) {
            int copy = Math.min(n, MAX_HEAD - headLength);
            System.arraycopy(buf, 0, head, headLength, copy);
            headLength += copy;
            String text = new String(head, 0, headLength, StandardCharsets.ISO_8859_1);
            if (text.contains("\r\n\r\n") || headLength == MAX_HEAD) {
                sender = senderOf(head, headLength);
                headLength = -1;
            }
        }

        void close() {
            close(true);
        }

        /** Abortive (RST) for faults and errors; orderly when both sides have finished talking. */
        private void close(boolean abortive) {
            if (closed) {
                return;
            }
            closed = true;
            links.remove(this);
            if (abortive) {
                abort(client);
                abort(up);
            } else {
                closeQuietly(client);
                closeQuietly(up);
            }
        }
    }
}
