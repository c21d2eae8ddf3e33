package dev.etcdj.tck;

import static dev.etcdj.client.Options.fragment;
import static dev.etcdj.client.Options.prefix;
import static dev.etcdj.client.Options.revision;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.google.protobuf.ByteString;
import dev.etcdj.client.EtcdClient;
import dev.etcdj.client.EtcdException;
import dev.etcdj.client.EventListener;
import dev.etcdj.client.WatchResponse;
import dev.etcdj.client.Watcher;
import dev.etcdj.proto.etcdserverpb.WatchCreateRequest;
import dev.etcdj.proto.etcdserverpb.WatchGrpc;
import dev.etcdj.proto.etcdserverpb.WatchRequest;
import dev.etcdj.testing.FaultProxy;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.grpc.stub.StreamObserver;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * The watch streams a client shares between its watches: a few streams for all watches, what ends
 * them all, fragments joined again, a listener that stops reading, and
 * a client closed while its server is gone. ({@link WatchContract} has what single watches do.)
 *
 * <p>The target must accept requests of at most {@value #MAX_REQUEST_BYTES} bytes (real etcd:
 * {@code --max-request-bytes=65536}), so that a catch-up of a few hundred KiB is sent in fragments.
 */
public abstract class WatchStreamContract extends ContractSupport {

    static final int MAX_REQUEST_BYTES = 65_536;
    private static final Duration T = Duration.ofSeconds(30);

    /** Counts what the client says about its long-lived streams. */
    static final class Streams implements EventListener {
        final AtomicInteger watchOpened = new AtomicInteger();
        final AtomicInteger watchBroken = new AtomicInteger();

        @Override
        public void streamOpened(String stream, String endpoint) {
            if (stream.equals("watch")) {
                watchOpened.incrementAndGet();
            }
        }

        @Override
        public void streamBroken(String stream, String endpoint, EtcdException cause, boolean permanent) {
            if (stream.equals("watch")) {
                watchBroken.incrementAndGet();
            }
        }
    }

    private EtcdClient listened(Streams streams, List<String> endpoints) {
        return EtcdClient.builder().endpoints(endpoints).eventListener(streams)
                .dialTimeout(Duration.ofSeconds(5)).requestTimeout(Duration.ofSeconds(10)).build();
    }

    @Test
    void watchesOfEveryKindShareOneStream() {
        Streams streams = new Streams();
        int n = 300; // the scale is WatchContract.aThousandWatchesOnOneClient's
        try (EtcdClient c = listened(streams, endpoints())) {
            long from = currentRevision() + 1;
            List<HeardWatch> heard = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                HeardWatch h = new HeardWatch();
                heard.add(h);
                // a prefix, a range, a key: every kind of watch rides the same stream
                switch (i % 3) {
                    case 0 -> c.watch().watch(key("s/" + (i % 10)), h, prefix(), revision(from));
                    case 1 -> c.watch().watch(key("s/" + (i % 10)), h, dev.etcdj.client.Options.range(key("s/" + (i % 10) + "~")), revision(from));
                    default -> c.watch().watch(key("s/" + (i % 10) + "x"), h, revision(from));
                }
            }
            long rev = kv.put(key("s/0x"), "to a tenth of them").header().revision();
            for (int i = 0; i < n; i += 10) {
                HeardWatch h = heard.get(i);
                h.awaitEvents(1);
                assertThat(h.revisions()).containsExactly(rev);
            }
            // A few streams carry them all (the client caps them at 8), none broke.
            assertThat(streams.watchOpened.get()).isBetween(1, 8);
            assertThat(streams.watchBroken).hasValue(0);
        }
    }

    @Test
    void aResponseLargerThanTheClientAcceptsEndsTheWatchesOfItsStream() {
        try (EtcdClient small = EtcdClient.builder().endpoints(endpoints()).maxInboundMessageBytes(64 * 1024).build()) {
            HeardWatch other = new HeardWatch();
            small.watch().watch(key("small/"), other, prefix(), revision(currentRevision() + 1));
            kv.put(key("small/a"), "1");
            other.awaitEvents(1); // live on the stream

            // 200 KiB in puts below the server's request limit, replayed in one catch-up response
            long rev = 0;
            for (int i = 0; i < 5; i++) {
                long r = kv.put(key("big/" + i), "x".repeat(40 * 1024)).header().revision();
                rev = rev == 0 ? r : rev;
            }
            HeardWatch big = new HeardWatch();
            small.watch().watch(key("big/"), big, prefix(), revision(rev));
            EtcdException e = big.error.join();
            assertThat(e.code()).isEqualTo(EtcdException.Code.RESOURCE_EXHAUSTED);
            assertThat(e.getMessage()).startsWith("grpc: received message larger than max (");
            // The stream is gone with every watch on it: each hears why.
            assertThat(other.error).succeedsWithin(T).isSameAs(e);
            assertThat(big.events()).isZero();

            // A new watch opens a new stream.
            HeardWatch again = new HeardWatch();
            small.watch().watch(key("small/"), again, prefix(), revision(currentRevision() + 1));
            kv.put(key("small/b"), "2");
            again.awaitEvents(1);
            assertThat(again.terminals()).isZero();
        }
    }

    @Test
    void aFragmentedCatchUpIsJoinedIntoOneResponse() throws InterruptedException {
        String value = "v".repeat(1000);
        long first = 0;
        for (int i = 0; i < 700; i++) { // ~700 KB, far over the request limit: the server must fragment it
            long rev = kv.put(key("f/" + i), value).header().revision();
            first = first == 0 ? rev : first;
        }
        assertThat(rawMessageCount(key("f/"), first, 700)).as("the server itself sends the catch-up in pieces")
                .isGreaterThan(1);

        HeardWatch h = new HeardWatch();
        try (Watcher w = client.watch().watch(key("f/"), h, prefix(), revision(first), fragment())) {
            h.awaitEvents(700);
            assertThat(h.responses).hasSize(1);
            assertThat(h.revisions()).hasSize(700).isSorted().doesNotHaveDuplicates();
        } finally {
            kv.delete(key("f/"), prefix());
        }
    }

    /** The messages the server sends for a fragmented watch, counted on a raw stream without our client. */
    private int rawMessageCount(String prefixKey, long from, int events) throws InterruptedException {
        URI u = URI.create(endpoints().get(0));
        ManagedChannel raw = ManagedChannelBuilder.forAddress(u.getHost(), u.getPort()).usePlaintext().build();
        try {
            AtomicInteger messages = new AtomicInteger();
            AtomicInteger seen = new AtomicInteger();
            CountDownLatch done = new CountDownLatch(1);
            StreamObserver<WatchRequest> req = WatchGrpc.newStub(raw).watch(new StreamObserver<>() {
                @Override
                public void onNext(dev.etcdj.proto.etcdserverpb.WatchResponse r) {
                    if (!r.getCreated()) {
                        messages.incrementAndGet();
                        if (seen.addAndGet(r.getEventsCount()) >= events) {
                            done.countDown();
                        }
                    }
                }

                @Override
                public void onError(Throwable t) {
                    done.countDown();
                }

                @Override
                public void onCompleted() {
                    done.countDown();
                }
            });
            ByteString key = ByteString.copyFromUtf8(prefixKey);
            req.onNext(WatchRequest.newBuilder().setCreateRequest(WatchCreateRequest.newBuilder()
                    .setKey(key).setRangeEnd(ByteString.copyFrom(dev.etcdj.client.Bytes.of(prefixKey).prefixEnd().toByteArray()))
                    .setStartRevision(from).setFragment(true)).build());
            assertThat(done.await(T.toSeconds(), TimeUnit.SECONDS)).isTrue();
            assertThat(seen.get()).isEqualTo(events);
            req.onCompleted();
            return messages.get();
        } finally {
            raw.shutdownNow().awaitTermination(10, TimeUnit.SECONDS);
        }
    }

    @Test
    void aListenerThatStopsReadingLosesNothingAndHoldsUpNoOtherClient() throws Exception {
        CountDownLatch gate = new CountDownLatch(1);
        List<Long> got = new ArrayList<>();
        int n = 2500;
        CompletableFuture<Void> all = new CompletableFuture<>();
        long first = currentRevision() + 1;
        try (EtcdClient stuck = newClient(endpoints())) {
            stuck.watch().watch(key("slow/"), resp -> {
                try {
                    gate.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                synchronized (got) {
                    resp.events().forEach(e -> got.add(e.kv().modRevision()));
                    if (got.size() >= n) {
                        all.complete(null);
                    }
                }
            }, prefix(), revision(first));
            // The writer is another client: it goes on while the watching one has stopped reading.
            for (int i = 0; i < n; i++) {
                kv.put(key("slow/k"), Integer.toString(i));
            }
            gate.countDown();
            all.get(60, TimeUnit.SECONDS);
            List<Long> expected = new ArrayList<>();
            for (long r = first; r < first + n; r++) {
                expected.add(r);
            }
            synchronized (got) {
                assertThat(got).isEqualTo(expected);
            }
        }
    }

    @Test
    void closingAClientWhileItsServerIsGoneEndsEveryWatchWithOnClosed() {
        FaultProxy proxy = FaultProxy.start(endpoints().get(0));
        EtcdClient c = newClient(List.of(proxy.endpoint()));
        try {
            HeardWatch a = new HeardWatch();
            HeardWatch b = new HeardWatch();
            Watcher wa = c.watch().watch(key("c/a"), a, revision(currentRevision() + 1));
            Watcher wb = c.watch().watch(key("c/b"), b, revision(1));
            kv.put(key("c/a"), "1");
            a.awaitEvents(1);
            proxy.close(); // the server is gone: connections are cut and refused
            c.close();
            assertThat(wa.terminated()).succeedsWithin(Duration.ofSeconds(10));
            assertThat(wb.terminated()).succeedsWithin(Duration.ofSeconds(10));
            assertThat(a.closed).hasValue(1);
            assertThat(b.closed).hasValue(1);
            assertThat(a.terminals() + b.terminals()).isEqualTo(2);
            // A watch made on a closed client ends at once, not silently.
            HeardWatch late = new HeardWatch();
            assertThat(c.watch().watch(key("c/x"), late).terminated()).succeedsWithin(Duration.ofSeconds(10));
            assertThat(late.terminals()).isEqualTo(1);
        } finally {
            c.close();
            proxy.close();
        }
    }
}
