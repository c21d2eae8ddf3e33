package dev.etcdj.tck;

import dev.etcdj.testing.EtcdProcess;
import dev.etcdj.testing.EtcdTarget;
import dev.etcdj.testing.FreePorts;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** {@link CertReloadContract} against real etcd: what rotating certificates does there. */
class RealEtcdCertReloadIT extends CertReloadContract {

    @Override
    protected Server start(String name, Path certFile, Path keyFile, Path trustedCa) {
        int[] ports = FreePorts.next(2);
        List<String> args = new ArrayList<>(List.of(
                // After the harness's own flags, so these win; it health-checks the plain port.
                "--listen-client-urls", "http://127.0.0.1:" + ports[0] + ",https://127.0.0.1:" + ports[1],
                "--advertise-client-urls", "https://127.0.0.1:" + ports[1],
                "--cert-file", certFile.toString(), "--key-file", keyFile.toString()));
        if (trustedCa != null) {
            args.addAll(List.of("--client-cert-auth", "--trusted-ca-file", trustedCa.toString()));
        }
        EtcdProcess etcd = EtcdTarget.started(EtcdProcess.builder().name(name).clientPort(ports[0]).args(args).build());
        return new Server() {
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

    @Override
    protected boolean keepsLastGoodPair() {
        return false; // etcd 3.4 reads the pair at each handshake and fails it when the pair is bad
    }
}
