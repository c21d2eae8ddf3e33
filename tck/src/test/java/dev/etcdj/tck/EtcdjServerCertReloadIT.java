package dev.etcdj.tck;

import dev.etcdj.server.EtcdServer;
import java.net.URI;
import java.nio.file.Path;
import java.util.List;

/** {@link CertReloadContract} against our server. */
class EtcdjServerCertReloadIT extends CertReloadContract {

    @Override
    protected Server start(String name, Path certFile, Path keyFile, Path trustedCa) {
        EtcdServer.Builder b = EtcdServer.builder().name(name).inMemory()
                .listenClientUrls(List.of("http://127.0.0.1:0", "https://127.0.0.1:0"))
                .tls(certFile, keyFile);
        if (trustedCa != null) {
            b.trustedCaFile(trustedCa).clientCertAuth(true);
        }
        EtcdServer server = b.build();
        try {
            server.start();
        } catch (RuntimeException e) {
            server.close();
            throw e;
        }
        List<String> endpoints = server.endpoints();
        return new Server() {
            @Override
            public int tlsPort() {
                return URI.create(endpoints.get(1)).getPort();
            }

            @Override
            public int plainPort() {
                return URI.create(endpoints.get(0)).getPort();
            }

            @Override
            public void close() {
                server.close();
            }
        };
    }

    @Override
    protected boolean keepsLastGoodPair() {
        return true;
    }
}
