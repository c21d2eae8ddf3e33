package dev.etcdj.tck;

import dev.etcdj.server.EtcdServer;
import java.net.URI;
import java.time.Duration;
import java.util.List;

/** {@link GrpcOptionsContract} against our server with the same options set on its builder. */
class EtcdjServerGrpcOptionsIT extends GrpcOptionsContract {

    @Override
    protected Server start(String name, long maxStreams, Duration keepAliveMinTime) {
        EtcdServer server = EtcdServer.builder().name(name).inMemory().listenClientUrls(List.of("http://127.0.0.1:0"))
                .maxConcurrentStreams(maxStreams)
                .grpcKeepAlive(keepAliveMinTime, Duration.ofHours(2), Duration.ofSeconds(20)).build();
        try {
            server.start();
        } catch (RuntimeException e) {
            server.close();
            throw e;
        }
        URI u = URI.create(server.endpoint());
        return new Server() {
            @Override
            public String hostPort() {
                return u.getHost() + ":" + u.getPort();
            }

            @Override
            public void close() {
                server.close();
            }
        };
    }
}
