package dev.etcdj.tck;

import java.nio.file.Path;

/** {@link CertReloadContract} against real etcd: what rotating certificates does there. */
class RealEtcdCertReloadIT extends CertReloadContract {

    @Override
    protected TlsContract.TlsServer start(String name, Path certFile, Path keyFile, Path trustedCa) {
        return RealEtcdTlsIT.started(name, certFile, keyFile, trustedCa);
    }

    @Override
    protected boolean keepsLastGoodPair() {
        return false; // etcd 3.4 reads the pair at each handshake and fails it when the pair is bad
    }
}
