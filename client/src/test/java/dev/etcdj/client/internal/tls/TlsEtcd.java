package dev.etcdj.client.internal.tls;

import dev.etcdj.testing.EtcdProcess;
import dev.etcdj.testing.FreePorts;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A real etcd serving clients on two ports: {@code https://127.0.0.1:P} with the given server
 * certificate (and, with a client CA, requiring client certificates signed by it), and plain
 * {@code http://127.0.0.1:Q}, which the harness uses for its health checks and the tests use as
 * "a port that does not speak TLS".
 */
final class TlsEtcd implements AutoCloseable {

    private final EtcdProcess etcd;
    private final int tlsPort;

    private TlsEtcd(EtcdProcess etcd, int tlsPort) {
        this.etcd = etcd;
        this.tlsPort = tlsPort;
    }

    /** Server-verified TLS only ({@code clientCa == null}) or mutual TLS. */
    static TlsEtcd start(String name, TestPki.Leaf server, Path clientCa) {
        int[] ports = FreePorts.next(2);
        String plain = "http://127.0.0.1:" + ports[0];
        String tls = "https://127.0.0.1:" + ports[1];
        List<String> args = new ArrayList<>(List.of(
                // After the harness's own flags, so these win.
                "--listen-client-urls", plain + "," + tls,
                "--advertise-client-urls", tls,
                "--cert-file", server.certFile().toString(),
                "--key-file", server.keyFile().toString()));
        if (clientCa != null) {
            args.addAll(List.of("--client-cert-auth", "--trusted-ca-file", clientCa.toString()));
        }
        EtcdProcess etcd = EtcdProcess.builder().name(name).clientPort(ports[0]).args(args).build();
        try {
            etcd.start();
        } catch (RuntimeException e) {
            etcd.close();
            throw e;
        }
        return new TlsEtcd(etcd, ports[1]);
    }

    String httpsEndpoint() {
        return "https://127.0.0.1:" + tlsPort;
    }

    /** The TLS port without a scheme: whether TLS is used is up to the client's configuration. */
    String tlsHostPort() {
        return "127.0.0.1:" + tlsPort;
    }

    /** The TLS port named with {@code http://}: a client that will speak plain text to it. */
    String tlsPortAsHttp() {
        return "http://127.0.0.1:" + tlsPort;
    }

    String plainEndpoint() {
        return etcd.endpoint();
    }

    String plainHostPort() {
        return "127.0.0.1:" + etcd.clientPort();
    }

    String logTail() {
        return etcd.logTail(20);
    }

    @Override
    public void close() {
        etcd.close();
    }
}
