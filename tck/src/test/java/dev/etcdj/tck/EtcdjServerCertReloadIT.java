package dev.etcdj.tck;

import java.nio.file.Path;

/** {@link CertReloadContract} against our server. */
class EtcdjServerCertReloadIT extends CertReloadContract {

    @Override
    protected TlsContract.TlsServer start(String name, Path certFile, Path keyFile, Path trustedCa) {
        return EtcdjServerTlsIT.started(name, certFile, keyFile, trustedCa);
    }

    @Override
    protected boolean keepsLastGoodPair() {
        return true;
    }
}
