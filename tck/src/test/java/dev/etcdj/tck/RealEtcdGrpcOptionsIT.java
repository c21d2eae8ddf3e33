package dev.etcdj.tck;

import dev.etcdj.testing.EtcdProcess;
import dev.etcdj.testing.EtcdTarget;
import java.time.Duration;
import java.util.List;

/** {@link GrpcOptionsContract} against real etcd started with the flags. */
class RealEtcdGrpcOptionsIT extends GrpcOptionsContract {

    @Override
    protected Server start(String name, long maxStreams, Duration keepAliveMinTime) {
        EtcdProcess etcd = EtcdTarget.started(EtcdProcess.builder().name(name).args(List.of(
                "--max-concurrent-streams=" + maxStreams,
                "--grpc-keepalive-min-time=" + keepAliveMinTime.toSeconds() + "s")).build());
        return new Server() {
            @Override
            public String hostPort() {
                return "127.0.0.1:" + etcd.clientPort();
            }

            @Override
            public void close() {
                etcd.close();
            }
        };
    }
}
