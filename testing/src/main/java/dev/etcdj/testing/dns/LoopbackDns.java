package dev.etcdj.testing.dns;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A tiny authoritative DNS server on 127.0.0.1 (a free UDP port) that answers SRV, A and AAAA
 * questions from a table: for tests of DNS SRV discovery, and for anyone who wants to try discovery
 * without touching a real zone. Point a client at {@link #address()} (e.g. etcdj's
 * {@code ClientBuilder.dnsServer}, or {@code ETCDJ_DNS_SERVER} for the CLI).
 *
 * <p>It speaks the RFC 1035 message format over UDP: one question per query (compressed names are
 * read), answers with the records of the asked name and type, NXDOMAIN for a name it has no
 * record of, an empty answer (NOERROR) for a known name without records of the asked type,
 * NOTIMP for opcodes other than QUERY and FORMERR for a query it cannot read. Answers are
 * authoritative with TTL 0 so that nothing caches them; an answer over 512 bytes is sent
 * truncated (TC set, no records), as a plain UDP server must. No TCP, no recursion, no EDNS.
 *
 * <pre>{@code
 * try (LoopbackDns dns = LoopbackDns.start()) {
 *     dns.srv("_etcd-client._tcp.example.test", 0, 0, 2379, "m1.example.test").address("m1.example.test", "127.0.0.1");
 *     ...
 * }
 * }</pre>
 */
public final class LoopbackDns implements AutoCloseable {

    /** Record types it answers. */
    static final int TYPE_A = 1;
    static final int TYPE_AAAA = 28;
    static final int TYPE_SRV = 33;
    static final int CLASS_IN = 1;
    static final int RCODE_FORMERR = 1;
    static final int RCODE_NXDOMAIN = 3;
    static final int RCODE_NOTIMP = 4;
    private static final int MAX_UDP = 512;
    private static final System.Logger LOG = System.getLogger(LoopbackDns.class.getName());

    /** One resource record's type and data, as sent on the wire. */
    private record Rr(int type, byte[] data) {}

    private final DatagramSocket socket;
    private final Map<String, List<Rr>> table = new ConcurrentHashMap<>();
    private final AtomicInteger queries = new AtomicInteger();
    private final Thread thread;

    private LoopbackDns(DatagramSocket socket) {
        this.socket = socket;
        this.thread = new Thread(this::serve, "loopback-dns-" + socket.getLocalPort());
        thread.setDaemon(true);
        thread.start();
    }

    /**
     * Starts a server on 127.0.0.1 and a free port.
     *
     * @return the running server; close it when done
     * @throws IOException when no UDP socket can be bound
     */
    public static LoopbackDns start() throws IOException {
        return new LoopbackDns(new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0)));
    }

    /** @return where it listens: 127.0.0.1 and its port */
    public InetSocketAddress address() {
        return (InetSocketAddress) socket.getLocalSocketAddress();
    }

    /** @return {@code 127.0.0.1:port}, the form {@code ETCDJ_DNS_SERVER} takes */
    public String hostPort() {
        return address().getAddress().getHostAddress() + ":" + address().getPort();
    }

    /**
     * Adds an SRV record.
     *
     * @param name the owner, e.g. {@code _etcd-client._tcp.example.test} (a trailing dot is optional)
     * @param priority lower is preferred
     * @param weight the share among records of one priority
     * @param port the service's port
     * @param target the host name that offers the service (give it an A record too)
     * @return this server
     */
    public LoopbackDns srv(String name, int priority, int weight, int port, String target) {
        ByteArrayOutputStream d = new ByteArrayOutputStream();
        short16(d, priority);
        short16(d, weight);
        short16(d, port);
        writeName(d, target);
        return add(name, new Rr(TYPE_SRV, d.toByteArray()));
    }

    /**
     * Adds an A or AAAA record, by the kind of address given.
     *
     * @param name the host name
     * @param address an IPv4 or IPv6 literal, e.g. {@code 127.0.0.1}
     * @return this server
     */
    public LoopbackDns address(String name, String address) {
        InetAddress a = literal(address);
        return add(name, new Rr(a instanceof Inet4Address ? TYPE_A : TYPE_AAAA, a.getAddress()));
    }

    /**
     * Removes every record of a name, so that it answers NXDOMAIN for it.
     *
     * @param name the owner
     * @return this server
     */
    public LoopbackDns remove(String name) {
        table.remove(key(name));
        return this;
    }

    /** Removes every record. @return this server */
    public LoopbackDns clear() {
        table.clear();
        return this;
    }

    /** @return how many queries it has answered */
    public int queries() {
        return queries.get();
    }

    @Override
    public void close() {
        socket.close();
        try {
            thread.join(5_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private LoopbackDns add(String name, Rr rr) {
        table.computeIfAbsent(key(name), k -> new CopyOnWriteArrayList<>()).add(rr);
        return this;
    }

    private void serve() {
        byte[] buf = new byte[4096];
        while (!socket.isClosed()) {
            DatagramPacket p = new DatagramPacket(buf, buf.length);
            try {
                socket.receive(p);
            } catch (SocketException closed) {
                return; // close() closed the socket: the only way out of receive
            } catch (IOException e) {
                LOG.log(System.Logger.Level.WARNING, "loopback DNS: receive failed", e);
                continue;
            }
            byte[] reply = answer(java.util.Arrays.copyOf(p.getData(), p.getLength()));
            if (reply == null) {
                continue;
            }
            queries.incrementAndGet();
            try {
                socket.send(new DatagramPacket(reply, reply.length, p.getSocketAddress()));
            } catch (IOException e) {
                if (!socket.isClosed()) {
                    LOG.log(System.Logger.Level.WARNING, "loopback DNS: reply to " + p.getSocketAddress() + " failed", e);
                }
            }
        }
    }

    /** The reply to one query message; null when it is too short to have an id (nothing to answer). */
    byte[] answer(byte[] q) {
        if (q.length < 12) {
            return null;
        }
        int flags = u16(q, 2);
        boolean isQuery = (flags & 0x8000) == 0;
        int opcode = (flags >> 11) & 0xF;
        if (!isQuery) {
            return null; // a response sent to us: answering would start a loop
        }
        if (opcode != 0) {
            return header(q, opcode, RCODE_NOTIMP, 0, false).toByteArray();
        }
        if (u16(q, 4) != 1) {
            return header(q, opcode, RCODE_FORMERR, 0, false).toByteArray();
        }
        String name;
        int end;
        int qtype;
        int qclass;
        try {
            int[] next = new int[1];
            name = readName(q, 12, next);
            end = next[0] + 4;
            if (end > q.length) {
                throw new IllegalArgumentException("question runs past the message");
            }
            qtype = u16(q, next[0]);
            qclass = u16(q, next[0] + 2);
        } catch (IllegalArgumentException e) {
            return header(q, opcode, RCODE_FORMERR, 0, false).toByteArray();
        }
        List<Rr> records = table.get(key(name));
        List<Rr> matching = new ArrayList<>();
        if (records != null && qclass == CLASS_IN) {
            for (Rr r : records) {
                if (r.type() == qtype) {
                    matching.add(r);
                }
            }
        }
        int rcode = records == null ? RCODE_NXDOMAIN : 0;
        ByteArrayOutputStream out = header(q, opcode, rcode, matching.size(), false);
        out.write(q, 12, end - 12); // the question, echoed
        for (Rr r : matching) {
            short16(out, 0xC00C); // the owner: a pointer to the question's name at offset 12
            short16(out, r.type());
            short16(out, CLASS_IN);
            short16(out, 0);
            short16(out, 0); // TTL 0: never cached
            short16(out, r.data().length);
            out.write(r.data(), 0, r.data().length);
        }
        if (out.size() > MAX_UDP) {
            ByteArrayOutputStream cut = header(q, opcode, rcode, 0, true);
            cut.write(q, 12, end - 12);
            return cut.toByteArray();
        }
        return out.toByteArray();
    }

    /** A response header for query {@code q}: its id, QR, the opcode, AA, its RD, RA, the rcode, one question unless FORMERR. */
    private static ByteArrayOutputStream header(byte[] q, int opcode, int rcode, int answers, boolean truncated) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(q, 0, 2);
        int rd = u16(q, 2) & 0x0100;
        int flags = 0x8000 | (opcode << 11) | 0x0400 | (truncated ? 0x0200 : 0) | rd | 0x0080 | rcode;
        short16(out, flags);
        short16(out, rcode == RCODE_FORMERR || rcode == RCODE_NOTIMP ? 0 : 1);
        short16(out, answers);
        short16(out, 0);
        short16(out, 0);
        return out;
    }

    /**
     * Reads a (possibly compressed) domain name at {@code offset}; {@code next[0]} is set to the
     * offset just past it in the message (past the first pointer, if any).
     */
    static String readName(byte[] m, int offset, int[] next) {
        StringBuilder name = new StringBuilder();
        int pos = offset;
        int jumps = 0;
        next[0] = -1;
        while (true) {
            if (pos >= m.length) {
                throw new IllegalArgumentException("name runs past the message");
            }
            int len = m[pos] & 0xFF;
            if ((len & 0xC0) == 0xC0) {
                if (pos + 1 >= m.length) {
                    throw new IllegalArgumentException("cut pointer");
                }
                if (next[0] < 0) {
                    next[0] = pos + 2;
                }
                int target = ((len & 0x3F) << 8) | (m[pos + 1] & 0xFF);
                if (++jumps > 64 || target >= pos) {
                    throw new IllegalArgumentException("pointer loop or forward pointer");
                }
                pos = target;
            } else if ((len & 0xC0) != 0) {
                throw new IllegalArgumentException("unknown label type");
            } else if (len == 0) {
                if (next[0] < 0) {
                    next[0] = pos + 1;
                }
                return name.toString();
            } else {
                if (pos + 1 + len > m.length) {
                    throw new IllegalArgumentException("label runs past the message");
                }
                if (name.length() > 0) {
                    name.append('.');
                }
                name.append(new String(m, pos + 1, len, StandardCharsets.US_ASCII));
                if (name.length() > 253) {
                    throw new IllegalArgumentException("name too long");
                }
                pos += 1 + len;
            }
        }
    }

    /** Writes a name uncompressed (RFC 2782: an SRV target is never compressed). */
    static void writeName(ByteArrayOutputStream out, String name) {
        String n = name.endsWith(".") ? name.substring(0, name.length() - 1) : name;
        if (!n.isEmpty()) {
            for (String label : n.split("\\.", -1)) {
                byte[] b = label.getBytes(StandardCharsets.US_ASCII);
                if (b.length == 0 || b.length > 63) {
                    throw new IllegalArgumentException("bad label '" + label + "' in " + name);
                }
                out.write(b.length);
                out.write(b, 0, b.length);
            }
        }
        out.write(0);
    }

    /** Names compare without case and without the trailing root dot. */
    private static String key(String name) {
        String n = name.toLowerCase(Locale.ROOT);
        return n.endsWith(".") ? n.substring(0, n.length() - 1) : n;
    }

    private static InetAddress literal(String address) {
        if (!address.matches("[0-9.]+|[0-9a-fA-F:.]*:[0-9a-fA-F:.]*")) {
            throw new IllegalArgumentException("not an IP address literal: " + address);
        }
        try {
            return InetAddress.getByName(address); // a literal: no lookup happens
        } catch (IOException e) {
            throw new IllegalArgumentException("not an IP address: " + address, e);
        }
    }

    private static int u16(byte[] m, int at) {
        return ((m[at] & 0xFF) << 8) | (m[at + 1] & 0xFF);
    }

    private static void short16(ByteArrayOutputStream out, int v) {
        out.write((v >> 8) & 0xFF);
        out.write(v & 0xFF);
    }
}
