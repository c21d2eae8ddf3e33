package dev.etcdj.spring.boot;

import dev.etcdj.testing.EtcdProcess;
import dev.etcdj.testing.EtcdTarget;
import dev.etcdj.testing.TestCerts;

/** {@link StarterContract} against real etcd (the oracle). */
class RealEtcdStarterIT extends StarterContract {

    @Override
    protected EtcdTarget startPlain() {
        return EtcdTarget.started(EtcdProcess.builder().name("starter").build());
    }

    @Override
    protected EtcdTarget startMutualTls(TestCerts certs) {
        return EtcdTarget.started(EtcdProcess.builder().name("starter-tls")
                .clientTls(certs.file("server.crt"), certs.file("server.key"), certs.file("ca.crt")).build());
    }
}
