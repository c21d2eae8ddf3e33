package dev.etcdj.server;

import dev.etcdj.proto.etcdserverpb.DeleteRangeRequest;
import dev.etcdj.proto.etcdserverpb.WatchCreateRequest;
import dev.etcdj.proto.etcdserverpb.WatchRequest;
import dev.etcdj.proto.etcdserverpb.WatchResponse;
import io.grpc.stub.StreamObserver;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class WatchFragmentTest extends ServerTestBase {

    @Test
    void largeRevisionIsFragmentedOnlyWhenAsked() throws Exception {
        String big = "v".repeat(100_000);
        for (int i = 0; i < 30; i++) {
            put(String.format("f%02d", i), big);
        }
        BlockingQueue<WatchResponse> q = new LinkedBlockingQueue<>();
        StreamObserver<WatchRequest> w = watch.withMaxInboundMessageSize(64 << 20).watch(LeaseTest.collect(q));
        w.onNext(WatchRequest.newBuilder().setCreateRequest(WatchCreateRequest.newBuilder().setKey(bs("f"))
                .setRangeEnd(bs("g")).setPrevKv(true).setFragment(true).setWatchId(1)).build());
        w.onNext(WatchRequest.newBuilder().setCreateRequest(WatchCreateRequest.newBuilder().setKey(bs("f"))
                .setRangeEnd(bs("g")).setPrevKv(true).setWatchId(2)).build());
        assertThat(q.poll(10, TimeUnit.SECONDS).getCreated()).isTrue();
        assertThat(q.poll(10, TimeUnit.SECONDS).getCreated()).isTrue();
        kv.deleteRange(DeleteRangeRequest.newBuilder().setKey(bs("f")).setRangeEnd(bs("g")).build());
        int fragEvents = 0;
        int fragResponses = 0;
        int plainResponses = 0;
        boolean lastFragmentSeen = false;
        while (!(lastFragmentSeen && plainResponses == 1)) {
            WatchResponse r = q.poll(10, TimeUnit.SECONDS);
            assertThat(r).isNotNull();
            if (r.getWatchId() == 1) {
                fragResponses++;
                fragEvents += r.getEventsCount();
                lastFragmentSeen = !r.getFragment();
            } else {
                plainResponses++;
                assertThat(r.getEventsCount()).isEqualTo(30);
                assertThat(r.getFragment()).isFalse();
            }
        }
        assertThat(fragResponses).isGreaterThanOrEqualTo(2);
        assertThat(fragEvents).isEqualTo(30);
        w.onCompleted();
    }
}
