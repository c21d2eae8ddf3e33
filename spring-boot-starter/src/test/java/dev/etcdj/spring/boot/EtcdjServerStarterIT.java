package dev.etcdj.spring.boot;

import dev.etcdj.testing.EtcdTarget;
import dev.etcdj.testing.EtcdjServerTarget;
import dev.etcdj.testing.TestCerts;
import java.util.List;

/** {@link StarterContract} against our embedded server. */
class EtcdjServerStarterIT extends StarterContract {

    @Override
    protected EtcdTarget startPlain() {
        return EtcdTarget.started(new EtcdjServerTarget());
    }

    @Override
    protected EtcdTarget startMutualTls(TestCerts certs) {
        return EtcdTarget.started(new EtcdjServerTarget(b -> b.listenClientUrls(List.of("https://127.0.0.1:0"))
                .tls(certs.file("server.crt"), certs.file("server.key"))
                .trustedCaFile(certs.file("ca.crt")).clientCertAuth(true)));
    }
}
