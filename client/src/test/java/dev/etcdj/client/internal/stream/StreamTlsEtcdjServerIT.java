package dev.etcdj.client.internal.stream;

import dev.etcdj.server.EtcdServer;
import dev.etcdj.testing.TestCerts;
import java.net.URI;
import java.nio.file.Path;
import java.util.List;

/** {@link StreamTlsContract} against our server: an http and an https listen URL. */
class StreamTlsEtcdjServerIT extends StreamTlsContract {

    @Override
    TlsServer start(String name, TestCerts certs, Path clientCa) {
        EtcdServer.Builder b = EtcdServer.builder().name(name).inMemory()
                .listenClientUrls(List.of("http://127.0.0.1:0", "https://127.0.0.1:0"))
                .tls(certs.file("server.crt"), certs.file("server.key"));
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
        return new TlsServer(URI.create(endpoints.get(1)).getPort(), URI.create(endpoints.get(0)).getPort(),
                server::close);
    }
}
