package dev.etcdj.server;

import dev.etcdj.proto.etcdserverpb.RangeRequest;
import io.grpc.StatusRuntimeException;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class AutoCompactionTest extends ServerTestBase {

    @Override
    protected EtcdServer.Builder configure(EtcdServer.Builder b) {
        return b.autoCompactionRetention(Duration.ofSeconds(1));
    }

    @Test
    void periodicCompactionCompactsOldRevisions() throws Exception {
        put("a", "1");
        put("a", "2");
        put("a", "3");
        await(() -> {
            try {
                kv.range(RangeRequest.newBuilder().setKey(bs("a")).setRevision(2).build());
                return false;
            } catch (StatusRuntimeException e) {
                return e.getStatus().getDescription().equals("etcdserver: mvcc: required revision has been compacted");
            }
        }, Duration.ofSeconds(10));
    }
}
