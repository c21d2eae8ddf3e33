package dev.etcdj.testing.dns;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.Hashtable;
import javax.naming.Context;
import javax.naming.NameNotFoundException;
import javax.naming.directory.Attribute;
import javax.naming.directory.Attributes;
import javax.naming.directory.InitialDirContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class LoopbackDnsTest {

    private LoopbackDns dns;

    @BeforeEach
    void start() throws Exception {
        dns = LoopbackDns.start();
        dns.srv("_etcd-client._tcp.example.test.", 1, 5, 2379, "m1.example.test.")
                .address("m1.example.test", "127.0.0.1")
                .address("m1.example.test", "::1");
    }

    @AfterEach
    void stop() {
        dns.close();
    }

    private static byte[] query(int id, String name, int type, int flags) {
        ByteArrayOutputStream q = new ByteArrayOutputStream();
        ByteBuffer h = ByteBuffer.allocate(12).putShort((short) id).putShort((short) flags).putShort((short) 1)
                .putShort((short) 0).putShort((short) 0).putShort((short) 0);
        q.write(h.array(), 0, 12);
        LoopbackDns.writeName(q, name);
        q.write(0);
        q.write(type);
        q.write(0);
        q.write(1);
        return q.toByteArray();
    }

    private byte[] exchange(byte[] q) throws Exception {
        try (DatagramSocket s = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))) {
            s.setSoTimeout(10_000);
            s.send(new DatagramPacket(q, q.length, dns.address()));
            byte[] buf = new byte[1024];
            DatagramPacket p = new DatagramPacket(buf, buf.length);
            s.receive(p);
            return java.util.Arrays.copyOf(buf, p.getLength());
        }
    }

    @Test
    void srvAnswerHasTheRfc1035Layout() throws Exception {
        byte[] q = query(0x1234, "_ETCD-client._tcp.example.test", LoopbackDns.TYPE_SRV, 0x0100);
        ByteBuffer r = ByteBuffer.wrap(exchange(q));
        assertThat(r.getShort() & 0xFFFF).as("id").isEqualTo(0x1234);
        // QR, opcode 0, AA, RD copied, RA, rcode 0
        assertThat(r.getShort() & 0xFFFF).as("flags").isEqualTo(0x8000 | 0x0400 | 0x0100 | 0x0080);
        assertThat(r.getShort()).as("qdcount").isEqualTo((short) 1);
        assertThat(r.getShort()).as("ancount").isEqualTo((short) 1);
        assertThat(r.getShort()).as("nscount").isZero();
        assertThat(r.getShort()).as("arcount").isZero();
        int[] next = new int[1];
        assertThat(LoopbackDns.readName(r.array(), 12, next)).isEqualTo("_ETCD-client._tcp.example.test");
        r.position(next[0]);
        assertThat(r.getShort()).as("qtype").isEqualTo((short) 33);
        assertThat(r.getShort()).as("qclass").isEqualTo((short) 1);
        assertThat(r.getShort() & 0xFFFF).as("owner is a pointer to the question").isEqualTo(0xC00C);
        assertThat(r.getShort()).as("type").isEqualTo((short) 33);
        assertThat(r.getShort()).as("class").isEqualTo((short) 1);
        assertThat(r.getInt()).as("ttl").isZero();
        int rdlength = r.getShort();
        int rdata = r.position();
        assertThat(r.getShort()).as("priority").isEqualTo((short) 1);
        assertThat(r.getShort()).as("weight").isEqualTo((short) 5);
        assertThat(r.getShort() & 0xFFFF).as("port").isEqualTo(2379);
        assertThat(LoopbackDns.readName(r.array(), r.position(), next)).isEqualTo("m1.example.test");
        assertThat(next[0]).as("rdlength covers the target").isEqualTo(rdata + rdlength);
        assertThat(next[0]).as("nothing after the answer").isEqualTo(r.limit());
    }

    @Test
    void addressesAnswerByType() throws Exception {
        ByteBuffer a = ByteBuffer.wrap(exchange(query(1, "m1.example.test", LoopbackDns.TYPE_A, 0)));
        assertThat(a.getShort(6)).isEqualTo((short) 1);
        byte[] bytes = a.array();
        assertThat(java.util.Arrays.copyOfRange(bytes, bytes.length - 4, bytes.length)).containsExactly(127, 0, 0, 1);
        ByteBuffer aaaa = ByteBuffer.wrap(exchange(query(2, "m1.example.test", LoopbackDns.TYPE_AAAA, 0)));
        assertThat(aaaa.getShort(6)).isEqualTo((short) 1);
        assertThat(aaaa.getShort(aaaa.limit() - 18)).as("rdlength").isEqualTo((short) 16);
    }

    @Test
    void unknownNameIsNxdomainAndKnownNameWithoutTheTypeIsEmpty() throws Exception {
        ByteBuffer nx = ByteBuffer.wrap(exchange(query(3, "nope.example.test", LoopbackDns.TYPE_SRV, 0)));
        assertThat(nx.getShort(2) & 0xF).isEqualTo(LoopbackDns.RCODE_NXDOMAIN);
        assertThat(nx.getShort(6)).isZero();
        ByteBuffer nodata = ByteBuffer.wrap(exchange(query(4, "m1.example.test", LoopbackDns.TYPE_SRV, 0)));
        assertThat(nodata.getShort(2) & 0xF).isZero();
        assertThat(nodata.getShort(6)).isZero();
    }

    @Test
    void otherOpcodesAndBadQuestionsAreRefusedWithTheirCodes() {
        byte[] notify = query(5, "m1.example.test", LoopbackDns.TYPE_A, 4 << 11);
        assertThat(dns.answer(notify)[3] & 0xF).isEqualTo(LoopbackDns.RCODE_NOTIMP);
        byte[] cut = java.util.Arrays.copyOf(query(6, "m1.example.test", LoopbackDns.TYPE_A, 0), 20);
        assertThat(dns.answer(cut)[3] & 0xF).isEqualTo(LoopbackDns.RCODE_FORMERR);
        assertThat(dns.answer(new byte[5])).isNull();
    }

    @Test
    void compressedNamesAreRead() {
        // "example.test" at 12, then "m1" + pointer to 12 at 26
        byte[] m = new byte[40];
        ByteArrayOutputStream name = new ByteArrayOutputStream();
        LoopbackDns.writeName(name, "example.test");
        System.arraycopy(name.toByteArray(), 0, m, 12, name.size());
        int at = 12 + name.size();
        m[at] = 2;
        m[at + 1] = 'm';
        m[at + 2] = '1';
        m[at + 3] = (byte) 0xC0;
        m[at + 4] = 12;
        int[] next = new int[1];
        assertThat(LoopbackDns.readName(m, at, next)).isEqualTo("m1.example.test");
        assertThat(next[0]).isEqualTo(at + 5);
        m[at + 4] = (byte) at; // a pointer to itself
        assertThatThrownBy(() -> LoopbackDns.readName(m, at, next)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void jdkResolverReadsItsAnswers() throws Exception {
        Hashtable<String, String> env = new Hashtable<>();
        env.put(Context.INITIAL_CONTEXT_FACTORY, "com.sun.jndi.dns.DnsContextFactory");
        env.put(Context.PROVIDER_URL, "dns://" + dns.hostPort());
        InitialDirContext ctx = new InitialDirContext(env);
        try {
            Attributes attrs = ctx.getAttributes("_etcd-client._tcp.example.test.", new String[] {"SRV"});
            Attribute srv = attrs.get("SRV");
            assertThat(srv.size()).isEqualTo(1);
            assertThat(srv.get(0)).isEqualTo("1 5 2379 m1.example.test.");
            assertThat(ctx.getAttributes("m1.example.test.", new String[] {"A"}).get("A").get(0)).isEqualTo("127.0.0.1");
            assertThatThrownBy(() -> ctx.getAttributes("gone.example.test.", new String[] {"SRV"}))
                    .isInstanceOf(NameNotFoundException.class);
        } finally {
            ctx.close();
        }
        assertThat(dns.queries()).isGreaterThanOrEqualTo(3);
    }
}
