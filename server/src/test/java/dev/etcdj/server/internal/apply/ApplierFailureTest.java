package dev.etcdj.server.internal.apply;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import dev.etcdj.proto.etcdserverpb.PutRequest;
import dev.etcdj.proto.etcdserverpb.PutResponse;
import dev.etcdj.proto.etcdserverpb.ResponseHeader;
import dev.etcdj.proto.etcdserverpb.WatchCreateRequest;
import dev.etcdj.proto.etcdserverpb.WatchResponse;
import dev.etcdj.server.internal.lock.LocalWatch;
import dev.etcdj.server.internal.mvcc.KvOps;
import dev.etcdj.server.internal.mvcc.LeaseHooks;
import dev.etcdj.server.internal.mvcc.MvccStore;
import dev.etcdj.server.internal.mvcc.WriteTxn;
import dev.etcdj.server.internal.storage.Backend;
import dev.etcdj.server.internal.watch.WatchHub;
import io.grpc.StatusRuntimeException;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A failure after a write is committed never fails the write, and never lets watchers go on
 * silently without the events they missed: they are cancelled with "etcdserver: watch canceled".
 */
class ApplierFailureTest {
    private Backend backend;
    private MvccStore store;
    private WatchHub hub;
    private Applier applier;
    private KvOps kv;
    private ExecutorService callbacks;
    private final AtomicBoolean sinkBroken = new AtomicBoolean();

    @BeforeEach
    void open() {
        backend = Backend.openTemporary();
        store = new MvccStore(backend);
        hub = new WatchHub(store, rev -> ResponseHeader.newBuilder().setRevision(rev).build(), 1_572_864, 600_000);
        applier = new Applier(backend, store, revs -> {
            if (sinkBroken.get()) {
                throw new IllegalStateException("watch sink broke");
            }
            hub.notify(revs);
        }, failure -> hub.cancelAll(), () -> { });
        applier.start();
        kv = new KvOps(store, LeaseHooks.NONE);
        callbacks = Executors.newSingleThreadExecutor();
    }

    @AfterEach
    void close() {
        applier.close();
        hub.close();
        callbacks.shutdownNow();
        backend.close();
    }

    private PutResponse put(String key, String value) throws Exception {
        PutRequest r = PutRequest.newBuilder().setKey(ByteString.copyFromUtf8(key))
                .setValue(ByteString.copyFromUtf8(value)).build();
        return applier.submit(ctx -> {
            WriteTxn txn = store.beginWrite(ctx.batch());
            try {
                return kv.put(txn, r);
            } finally {
                txn.end();
            }
        }).get(30, TimeUnit.SECONDS);
    }

    @Test
    void aFailedEventDeliveryCancelsTheWatchersInsteadOfDroppingEvents() throws Exception {
        BlockingQueue<WatchResponse> events = new LinkedBlockingQueue<>();
        BlockingQueue<Throwable> failures = new LinkedBlockingQueue<>();
        LocalWatch watch = LocalWatch.open(hub, WatchCreateRequest.newBuilder().setKey(ByteString.copyFromUtf8("k"))
                .build(), callbacks, events::add, failures::add);
        try {
            put("k", "1");
            WatchResponse first = events.poll(30, TimeUnit.SECONDS);
            assertThat(first).isNotNull();
            assertThat(first.getEvents(0).getKv().getValue().toStringUtf8()).isEqualTo("1");

            sinkBroken.set(true);
            PutResponse second = put("k", "2");     // the write itself succeeds: it is committed
            assertThat(second.getHeader().getRevision()).isEqualTo(3);

            Throwable t = failures.poll(30, TimeUnit.SECONDS);
            assertThat(t).isInstanceOf(StatusRuntimeException.class);
            assertThat(((StatusRuntimeException) t).getStatus().getDescription()).isEqualTo("etcdserver: watch canceled");
            assertThat(events).isEmpty();
            assertThat(hub.watcherCount()).isZero();
        } finally {
            watch.close();
        }
    }

    @Test
    void aFailingAfterCommitHookDoesNotFailTheWrite() throws Exception {
        Integer r = applier.submit(ctx -> {
            ctx.afterCommit(() -> {
                throw new IllegalStateException("hook broke");
            });
            return 42;
        }).get(30, TimeUnit.SECONDS);
        assertThat(r).isEqualTo(42);
        assertThat(put("k", "after").getHeader().getRevision()).isEqualTo(2);
    }
}
