package dev.etcdj.spring.boot;

import dev.etcdj.testing.EtcdProcess;
import dev.etcdj.testing.EtcdTarget;
import dev.etcdj.testing.TestCerts;

/** {@link StarterContract} against real etcd (the oracle). */
class RealEtcdStarterIT extends StarterContract {

    @Override
    protected EtcdTarget startPlain() {
        return started(EtcdProcess.builder().name("starter").build());
    }

    @Override
    protected EtcdTarget startMutualTls(TestCerts certs) {
        return started(EtcdProcess.builder().name("starter-tls")
                .clientTls(certs.file("server.crt"), certs.file("server.key"), certs.file("ca.crt")).build());
    }

    @Override
    protected String expectedVersionPrefix() {
        return "3.4.";
    }

    private static EtcdTarget started(EtcdProcess etcd) {
        try {
            etcd.start();
            return etcd;
        } catch (RuntimeException e) {
            etcd.close();
            throw e;
        }
    }
}
