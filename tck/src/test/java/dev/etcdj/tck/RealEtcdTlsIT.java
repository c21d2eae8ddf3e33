package dev.etcdj.tck;

import dev.etcdj.testing.EtcdProcess;
import dev.etcdj.testing.EtcdTarget;
import dev.etcdj.testing.FreePorts;
import dev.etcdj.testing.TestCerts;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** {@link TlsContract} against real etcd: https and http client URLs on one process. */
class RealEtcdTlsIT extends TlsContract {

    @Override
    protected TlsServer start(String name, TestCerts certs, Path clientCa) {
        return started(name, certs.file("server.crt"), certs.file("server.key"), clientCa);
    }

    /** etcd with these files on an https client URL and a plain one; with a CA file, requiring client certificates. */
    static TlsServer started(String name, Path certFile, Path keyFile, Path clientCa) {
        int[] ports = FreePorts.next(2);
        List<String> args = new ArrayList<>(List.of(
                // After the harness's own flags, so these win; it health-checks the plain port.
                "--listen-client-urls", "http://127.0.0.1:" + ports[0] + ",https://127.0.0.1:" + ports[1],
                "--advertise-client-urls", "https://127.0.0.1:" + ports[1],
                "--cert-file", certFile.toString(), "--key-file", keyFile.toString()));
        if (clientCa != null) {
            args.addAll(List.of("--client-cert-auth", "--trusted-ca-file", clientCa.toString()));
        }
        EtcdProcess etcd = EtcdTarget.started(EtcdProcess.builder().name(name).clientPort(ports[0]).args(args).build());
        return new TlsServer() {
            @Override
            public int tlsPort() {
                return ports[1];
            }

            @Override
            public int plainPort() {
                return ports[0];
            }

            @Override
            public void close() {
                etcd.close();
            }
        };
    }
}
