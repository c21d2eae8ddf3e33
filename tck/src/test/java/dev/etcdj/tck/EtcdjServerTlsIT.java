package dev.etcdj.tck;

import dev.etcdj.server.EtcdServer;
import dev.etcdj.testing.TestCerts;
import java.net.URI;
import java.nio.file.Path;
import java.util.List;

/** {@link TlsContract} against our server: an http and an https listen URL, etcd's TLS settings. */
class EtcdjServerTlsIT extends TlsContract {

    @Override
    protected TlsServer start(String name, TestCerts certs, Path clientCa) {
        return started(name, certs.file("server.crt"), certs.file("server.key"), clientCa);
    }

    /** Our server with these files on an https client URL and a plain one; with a CA file, requiring client certificates. */
    static TlsServer started(String name, Path certFile, Path keyFile, Path clientCa) {
        EtcdServer.Builder b = EtcdServer.builder().name(name).inMemory()
                .listenClientUrls(List.of("http://127.0.0.1:0", "https://127.0.0.1:0"))
                .tls(certFile, keyFile);
        if (clientCa != null) {
            b.trustedCaFile(clientCa).clientCertAuth(true);
        }
        EtcdServer server = b.build();
        try {
            server.start();
        } catch (RuntimeException e) {
            server.close();
            throw e;
        }
        List<String> endpoints = server.endpoints();
        return new TlsServer() {
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
}
