package dev.etcdj.client.internal.stream;

import dev.etcdj.testing.EtcdProcess;
import dev.etcdj.testing.FreePorts;
import dev.etcdj.testing.TestCerts;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** {@link StreamTlsContract} against real etcd: https and http client URLs on one process. */
class StreamTlsRealEtcdIT extends StreamTlsContract {

    @Override
    TlsServer start(String name, TestCerts certs, Path clientCa) {
        int[] ports = FreePorts.next(2);
        List<String> args = new ArrayList<>(List.of(
                // After the harness's own flags, so these win; it health-checks the plain port.
                "--listen-client-urls", "http://127.0.0.1:" + ports[0] + ",https://127.0.0.1:" + ports[1],
                "--advertise-client-urls", "https://127.0.0.1:" + ports[1],
                "--cert-file", certs.path("server.crt"), "--key-file", certs.path("server.key")));
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
        return new TlsServer(ports[1], ports[0], etcd);
    }
}
