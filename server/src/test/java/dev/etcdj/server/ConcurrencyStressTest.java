package dev.etcdj.server;

import dev.etcdj.proto.etcdserverpb.CompactionRequest;
import dev.etcdj.proto.etcdserverpb.DeleteRangeRequest;
import dev.etcdj.proto.etcdserverpb.PutRequest;
import dev.etcdj.proto.etcdserverpb.RangeRequest;
import dev.etcdj.proto.etcdserverpb.RangeResponse;
import dev.etcdj.proto.etcdserverpb.WatchCreateRequest;
import dev.etcdj.proto.etcdserverpb.WatchRequest;
import dev.etcdj.proto.etcdserverpb.WatchResponse;
import dev.etcdj.proto.mvccpb.Event;
import dev.etcdj.proto.mvccpb.KeyValue;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.StreamObserver;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** Writers, readers, a watcher and compactions at the same time: no anomaly anywhere. */
class ConcurrencyStressTest extends ServerTestBase {

    @Test
    void writersReadersWatcherAndCompaction() throws Exception {
        BlockingQueue<WatchResponse> q = new LinkedBlockingQueue<>();
        StreamObserver<WatchRequest> w = watch.watch(LeaseTest.collect(q));
        w.onNext(WatchRequest.newBuilder().setCreateRequest(WatchCreateRequest.newBuilder()
                .setKey(bs("\0")).setRangeEnd(bs("\0"))).build());
        assertThat(q.poll(10, TimeUnit.SECONDS).getCreated()).isTrue();

        AtomicBoolean stop = new AtomicBoolean();
        ConcurrentLinkedQueue<Throwable> problems = new ConcurrentLinkedQueue<>();
        List<Thread> threads = new ArrayList<>();
        int writers = 3;
        int perWriter = 400;
        for (int t = 0; t < writers; t++) {
            int id = t;
            threads.add(new Thread(() -> {
                try {
                    for (int i = 0; i < perWriter; i++) {
                        String key = "s" + id + "/" + (i % 20);
                        if (i % 7 == 6) {
                            kv.deleteRange(DeleteRangeRequest.newBuilder().setKey(bs(key)).build());
                        } else {
                            put(key, "v" + i);
                        }
                    }
                } catch (Throwable e) {
                    problems.add(e);
                }
            }));
        }
        threads.add(new Thread(() -> { // reader: counts never exceed keys, revisions monotonic
            long lastRev = 0;
            while (!stop.get()) {
                try {
                    RangeResponse r = kv.range(RangeRequest.newBuilder().setKey(bs("s")).setRangeEnd(bs("t")).build());
                    assertThat(r.getHeader().getRevision()).isGreaterThanOrEqualTo(lastRev);
                    lastRev = r.getHeader().getRevision();
                    assertThat(r.getCount()).isEqualTo(r.getKvsCount()).isLessThanOrEqualTo(60);
                    for (KeyValue kv2 : r.getKvsList()) {
                        assertThat(kv2.getModRevision()).isLessThanOrEqualTo(lastRev);
                    }
                } catch (Throwable e) {
                    problems.add(e);
                    return;
                }
            }
        }));
        threads.add(new Thread(() -> { // compactor: keep compacting to a recent revision
            while (!stop.get()) {
                try {
                    long rev = rev() - 5;
                    if (rev > 1) {
                        kv.compact(CompactionRequest.newBuilder().setRevision(rev).build());
                    }
                    Thread.sleep(20); // paces the compactor: background load, not a wait for a condition
                } catch (StatusRuntimeException e) {
                    if (!e.getStatus().getDescription().contains("compacted")) {
                        problems.add(e);
                    }
                } catch (Throwable e) {
                    problems.add(e);
                    return;
                }
            }
        }));
        for (Thread t : threads) {
            t.start();
        }
        for (int i = 0; i < writers; i++) {
            threads.get(i).join(120_000);
        }
        long finalRev = rev();
        stop.set(true);
        for (Thread t : threads) {
            t.join(30_000);
        }
        assertThat(problems).isEmpty();
        // the watcher (synced from the start) saw every revision exactly once, in order
        long last = 1;
        while (last < finalRev) {
            WatchResponse r = q.poll(20, TimeUnit.SECONDS);
            assertThat(r).as("watch stalled at revision " + last).isNotNull();
            if (r.getCanceled()) {
                throw new AssertionError("watch canceled: " + r);
            }
            for (Event e : r.getEventsList()) {
                assertThat(e.getKv().getModRevision()).isEqualTo(last + 1);
                last = e.getKv().getModRevision();
            }
        }
        w.onCompleted();
    }
}
