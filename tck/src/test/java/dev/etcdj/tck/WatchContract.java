package dev.etcdj.tck;

import static dev.etcdj.client.Options.fragment;
import static dev.etcdj.client.Options.fromKey;
import static dev.etcdj.client.Options.lease;
import static dev.etcdj.client.Options.noDelete;
import static dev.etcdj.client.Options.noPut;
import static dev.etcdj.client.Options.prefix;
import static dev.etcdj.client.Options.prevKv;
import static dev.etcdj.client.Options.progressNotify;
import static dev.etcdj.client.Options.range;
import static dev.etcdj.client.Options.revision;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.etcdj.client.Bytes;
import dev.etcdj.client.CompactedException;
import dev.etcdj.client.EtcdClient;
import dev.etcdj.client.EtcdError;
import dev.etcdj.client.EtcdException;
import dev.etcdj.client.KeyValue;
import dev.etcdj.client.Op;
import dev.etcdj.client.WatchEvent;
import dev.etcdj.client.WatchListener;
import dev.etcdj.client.WatchOption;
import dev.etcdj.client.WatchResponse;
import dev.etcdj.client.Watcher;
import dev.etcdj.testing.FaultProxy;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Watches: what they select, where they start, what they attach and filter, how they report
 * progress, how they end, and that across a killed server and dropped connections every revision
 * arrives exactly once and in order.
 *
 * <p>The target must send progress notifications at a short interval (real etcd:
 * {@code --experimental-watch-progress-notify-interval=500ms}).
 */
public abstract class WatchContract extends ContractSupport {

    /** etcd's minimum lease TTL with default timings. */
    private static final long MIN_TTL = 2;

    private Watcher watch(String key, Events events, WatchOption... options) {
        return client.watch().watch(key, events, options);
    }

    // ---- what a watch selects

    @Test
    void watchAKeySeesItsPutsAndDeletesOnly() {
        long start = currentRevision() + 1;
        Events ev = new Events();
        try (Watcher w = watch(key("k"), ev, revision(start))) {
            long r1 = kv.put(key("k"), "v1").header().revision();
            kv.put(key("k2"), "other");
            long r2 = kv.put(key("k"), "v2").header().revision();
            long r3 = kv.delete(key("k")).header().revision();
            ev.awaitEvents(3);

            assertThat(ev.events()).containsExactly(
                    put(new KeyValue(bkey("k"), Bytes.of("v1"), r1, r1, 1, 0)),
                    put(new KeyValue(bkey("k"), Bytes.of("v2"), r1, r2, 2, 0)),
                    // A delete event's kv has the key and the delete's revision only.
                    new WatchEvent(WatchEvent.Type.DELETE, new KeyValue(bkey("k"), Bytes.EMPTY, 0, r3, 0, 0),
                            java.util.Optional.empty()));
            await().atMost(Duration.ofSeconds(5)).until(() -> w.lastRevision() == r3);
            assertThat(w.spec().key()).isEqualTo(bkey("k"));
            assertThat(w.spec().startRevision()).isEqualTo(start);
            ev.assertOrderedAndUnsplit();
        }
        ev.awaitClosed();
    }

    @Test
    void watchAPrefix() {
        long start = currentRevision() + 1;
        Events ev = new Events();
        try (Watcher w = watch(key("dir/"), ev, prefix(), revision(start))) {
            kv.put(key("dir/a"), "1");
            kv.put(key("dirx"), "2");
            kv.put(key("dir"), "3");
            kv.put(key("dir/b/c"), "4");
            kv.delete(key("dir/a"));
            ev.awaitEvents(3);
            assertThat(ev.keys()).containsExactly(key("dir/a"), key("dir/b/c"), key("dir/a"));
            assertThat(ev.types()).containsExactly(WatchEvent.Type.PUT, WatchEvent.Type.PUT, WatchEvent.Type.DELETE);
            assertThat(w.spec().rangeEnd()).isEqualTo(bkey("dir/").prefixEnd());
        }
    }

    @Test
    void watchARange() {
        assertWatchSelects("b", range(key("d")), List.of("a", "b", "c", "d", "bb"), "b", "c", "bb");
    }

    @Test
    void watchFromAKey() {
        assertWatchSelects("m", fromKey(), List.of("a", "m", "l", "z", "mm"), "m", "z", "mm");
    }

    /** Watches {@code from} with {@code selection}, puts {@code written} in order, and sees the puts of {@code seen} only. */
    private void assertWatchSelects(String from, WatchOption selection, List<String> written, String... seen) {
        long start = currentRevision() + 1;
        Events ev = new Events();
        try (Watcher w = watch(key(from), ev, selection, revision(start))) {
            for (String s : written) {
                kv.put(key(s), s);
            }
            ev.awaitEvents(seen.length);
            assertThat(ev.keys()).containsExactly(Stream.of(seen).map(this::key).toArray(String[]::new));
        }
    }

    @Test
    void watchKeysWithAnyBytes() {
        Bytes base = bkey("bin");
        Bytes k0 = base.concat(Bytes.of(new byte[] {0}));
        Bytes kff = base.concat(Bytes.of(new byte[] {(byte) 0xFF, (byte) 0xFF}));
        long start = currentRevision() + 1;
        Events ev = new Events();
        try (Watcher w = client.watch().watch(base, ev, prefix(), revision(start))) {
            kv.put(k0, Bytes.of(new byte[] {0, (byte) 0xFF}));
            kv.put(kff, Bytes.EMPTY);
            ev.awaitEvents(2);
            assertThat(ev.events()).extracting(e -> e.kv().key()).containsExactly(k0, kff);
            assertThat(ev.events().get(0).kv().value()).isEqualTo(Bytes.of(new byte[] {0, (byte) 0xFF}));
        }
    }

    // ---- where a watch starts

    @Test
    void withoutAStartRevisionOnlyNewChangesArrive() {
        kv.put(key("k"), "before");
        Events ev = new Events();
        try (Watcher w = watch(key("k"), ev)) {
            assertThat(w.spec().startRevision()).isZero();
            // The watch is created asynchronously: keep writing until it has seen a write.
            await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(100)).until(() -> {
                kv.put(key("k"), "after");
                return !ev.events().isEmpty();
            });
            assertThat(ev.events()).allSatisfy(e -> assertThat(e.kv().value()).isEqualTo(Bytes.of("after")));
        }
    }

    @Test
    void aStartRevisionInThePastReplaysHistoryThenGoesLive() {
        long r1 = kv.put(key("k"), "1").header().revision();
        kv.put(key("k"), "2");
        kv.delete(key("k"));
        long r4 = kv.put(key("k"), "4").header().revision();
        Events ev = new Events();
        try (Watcher w = watch(key("k"), ev, revision(r1))) {
            ev.awaitEvents(4);
            long r5 = kv.put(key("k"), "5").header().revision();
            ev.awaitEvents(5);
            assertThat(ev.events()).extracting(e -> e.kv().modRevision())
                    .containsExactly(r1, r1 + 1, r1 + 2, r4, r5);
            assertThat(ev.types()).containsExactly(WatchEvent.Type.PUT, WatchEvent.Type.PUT, WatchEvent.Type.DELETE,
                    WatchEvent.Type.PUT, WatchEvent.Type.PUT);
            assertThat(ev.events().get(3).kv().version()).isEqualTo(1);
            ev.assertOrderedAndUnsplit();
        }
    }

    @Test
    void aStartRevisionInTheFutureWaitsForIt() {
        long now = currentRevision();
        Events ev = new Events();
        try (Watcher w = watch(key("k"), ev, revision(now + 3))) {
            for (int i = 1; i <= 5; i++) {
                kv.put(key("k"), "v" + i);
            }
            ev.awaitEvents(3);
            assertThat(ev.events()).extracting(e -> e.kv().value().toStringUtf8()).containsExactly("v3", "v4", "v5");
            assertThat(ev.events().get(0).kv().modRevision()).isEqualTo(now + 3);
        }
    }

    @Test
    void aTxnArrivesAsOneRevisionInOneResponse() {
        long start = currentRevision() + 1;
        Events ev = new Events();
        try (Watcher w = watch(key(""), ev, prefix(), revision(start))) {
            long rev = kv.commit(Op.txn().then(Op.put(key("a"), "1"), Op.put(key("b"), "2"), Op.put(key("c"), "3")))
                    .header().revision();
            ev.awaitEvents(3);
            assertThat(ev.events()).extracting(e -> e.kv().modRevision()).containsOnly(rev);
            ev.assertOrderedAndUnsplit();
        }
    }

    // ---- what a watch attaches and filters

    @Test
    void prevKvAttachesTheStateBeforeEachChange() {
        long r1 = kv.put(key("k"), "old").header().revision();
        Events ev = new Events();
        try (Watcher w = watch(key("k"), ev, prevKv(), revision(r1))) {
            long r2 = kv.put(key("k"), "new").header().revision();
            kv.delete(key("k"));
            kv.put(key("k"), "reborn");
            ev.awaitEvents(4);
            List<WatchEvent> e = ev.events();
            assertThat(e.get(0).prevKv()).isEmpty(); // a creation has nothing before it
            assertThat(e.get(1).prevKv()).contains(new KeyValue(bkey("k"), Bytes.of("old"), r1, r1, 1, 0));
            assertThat(e.get(2).prevKv()).contains(new KeyValue(bkey("k"), Bytes.of("new"), r1, r2, 2, 0));
            assertThat(e.get(3).prevKv()).isEmpty();
            assertThat(w.spec().prevKv()).isTrue();
        }
    }

    @Test
    void noPutAndNoDeleteFilters() {
        long start = currentRevision() + 1;
        Events deletesOnly = new Events();
        Events putsOnly = new Events();
        Events nothing = new Events();
        Events all = new Events();
        try (Watcher a = watch(key("k"), deletesOnly, noPut(), revision(start));
             Watcher b = watch(key("k"), putsOnly, noDelete(), revision(start));
             Watcher c = watch(key("k"), nothing, noPut(), noDelete(), revision(start));
             Watcher d = watch(key("k"), all, revision(start))) {
            kv.put(key("k"), "1");
            kv.delete(key("k"));
            kv.put(key("k"), "2");
            kv.delete(key("k"));
            all.awaitEvents(4);
            deletesOnly.awaitEvents(2);
            putsOnly.awaitEvents(2);
            assertThat(deletesOnly.types()).containsOnly(WatchEvent.Type.DELETE);
            assertThat(putsOnly.types()).containsOnly(WatchEvent.Type.PUT);
            assertThat(deletesOnly.events()).hasSize(2);
            assertThat(putsOnly.events()).hasSize(2);
            // Every response of a watch with nothing to report is a progress response, never an empty event list
            // standing for a filtered revision.
            assertThat(nothing.events()).isEmpty();
            assertThat(a.spec().noPut()).isTrue();
            assertThat(b.spec().noDelete()).isTrue();
        }
    }

    // ---- progress

    @Test
    void progressNotifyReportsHowFarAQuietWatchHasGot() {
        long start = currentRevision() + 1;
        Events ev = new Events();
        try (Watcher w = watch(key("k"), ev, progressNotify(), revision(start))) {
            long rev = kv.put(key("k"), "v").header().revision();
            ev.awaitEvents(1);
            // No more writes to the key: the server must tell the watch it is still up to date.
            await().atMost(Duration.ofSeconds(10)).until(() -> ev.progressAfter(rev) > 0);
            WatchResponse p = ev.progress().get(ev.progress().size() - 1);
            assertThat(p.events()).isEmpty();
            assertThat(p.isProgressNotify()).isTrue();
            assertThat(p.header().revision()).isGreaterThanOrEqualTo(rev);
            assertThat(w.spec().progressNotify()).isTrue();
        }
    }

    @Test
    void requestProgressReachesEveryWatch() {
        long start = currentRevision() + 1;
        Events one = new Events();
        Events two = new Events();
        try (Watcher w1 = watch(key("a"), one, revision(start));
             Watcher w2 = watch(key("b"), two, revision(start))) {
            kv.put(key("a"), "1");
            long rev = kv.put(key("b"), "2").header().revision();
            one.awaitEvents(1);
            two.awaitEvents(1);
            client.watch().requestProgress();
            await().atMost(Duration.ofSeconds(10)).until(() -> one.progressAfter(rev) > 0 && two.progressAfter(rev) > 0);
            assertThat(one.events()).hasSize(1);
            assertThat(two.events()).hasSize(1);
            // w1's own last event is older than rev; the progress notification moved it on.
            assertThat(w1.lastRevision()).isGreaterThanOrEqualTo(rev);
        }
    }

    // ---- how a watch ends

    @Test
    void closeEndsTheWatchWithOnClosedAndNothingAfter() {
        long start = currentRevision() + 1;
        Events closing = new Events();
        Events staying = new Events();
        Watcher w = watch(key("k"), closing, revision(start));
        try (Watcher other = watch(key("k"), staying, revision(start))) {
            kv.put(key("k"), "1");
            closing.awaitEvents(1);
            w.close();
            assertThat(w.terminated()).succeedsWithin(Duration.ofSeconds(5));
            closing.awaitClosed();
            kv.put(key("k"), "2");
            staying.awaitEvents(2);
            assertThat(closing.events()).hasSize(1);
            w.close(); // idempotent
            assertThat(closing.closed.get()).isEqualTo(1);
            assertThat(closing.errors).isEmpty();
            assertThat(closing.afterTerminal.get()).isZero();
        }
    }

    @Test
    void closingTheClientClosesItsWatches() {
        long start = currentRevision() + 1;
        Events ev = new Events();
        EtcdClient other = newClient(endpoints());
        Watcher w;
        try {
            w = other.watch().watch(key("k"), ev, revision(start));
            kv.put(key("k"), "1");
            ev.awaitEvents(1);
        } finally {
            other.close();
        }
        assertThat(w.terminated()).succeedsWithin(Duration.ofSeconds(5));
        ev.awaitClosed();
        assertThat(ev.errors).isEmpty();
    }

    @Test
    void aCompactedStartRevisionEndsWithCompactedException() {
        long r1 = kv.put(key("k"), "1").header().revision();
        long r2 = kv.put(key("k"), "2").header().revision();
        long r3 = kv.put(key("k"), "3").header().revision();
        kv.compact(r2);

        Events compacted = new Events();
        Watcher w = watch(key("k"), compacted, revision(r1));
        assertThat(w.terminated()).succeedsWithin(Duration.ofSeconds(10));
        await().atMost(Duration.ofSeconds(5)).until(() -> !compacted.errors.isEmpty());
        EtcdException error = compacted.errors.get(0);
        assertThat(error).isInstanceOf(CompactedException.class);
        assertThat(((CompactedException) error).compactRevision()).isEqualTo(r2);
        assertThat(error.error()).isEqualTo(EtcdError.COMPACTED);
        assertThat(compacted.closed.get()).isZero();
        assertThat(compacted.events()).isEmpty();
        w.close(); // after the end: no second terminal event
        assertThat(compacted.terminals()).isEqualTo(1);

        // The compact revision itself is still there.
        Events fromCompactRev = new Events();
        try (Watcher ok = watch(key("k"), fromCompactRev, revision(r2))) {
            fromCompactRev.awaitEvents(2);
            assertThat(fromCompactRev.events()).extracting(e -> e.kv().modRevision()).containsExactly(r2, r3);
        }
    }

    @Test
    void aWatchOfAnEmptyRangeEndsWithAnError() {
        Events ev = new Events();
        Watcher w = watch(key("b"), ev, range(key("a")));
        assertThat(w.terminated()).succeedsWithin(Duration.ofSeconds(10));
        await().atMost(Duration.ofSeconds(5)).until(() -> ev.terminals() == 1);
        assertThat(ev.errors).hasSize(1);
        assertThat(ev.errors.get(0)).isNotInstanceOf(CompactedException.class)
                .hasMessageContaining("watcher range is empty");
        assertThat(ev.events()).isEmpty();
        // Only that watch ends: the stream goes on for the others.
        long start = currentRevision() + 1;
        Events ok = new Events();
        try (Watcher other = watch(key("k"), ok, revision(start))) {
            long rev = kv.put(key("k"), "v").header().revision();
            ok.awaitEvents(1);
            assertThat(ok.events()).extracting(e -> e.kv().modRevision()).containsExactly(rev);
        }
    }

    @Test
    void aWatchThatMissedCompactedHistoryWhileDisconnectedEndsWithCompactedException() {
        try (FaultProxy proxy = FaultProxy.start(endpoints().get(0));
             EtcdClient viaProxy = newClient(List.of(proxy.endpoint()))) {
            long start = currentRevision() + 1;
            Events ev = new Events();
            Watcher w = viaProxy.watch().watch(key("k"), ev, revision(start));
            kv.put(key("k"), "1");
            ev.awaitEvents(1);

            // Cut the watch off; its reconnects are accepted but nothing flows until the compaction is done.
            proxy.blackhole(true);
            proxy.dropConnections();
            kv.put(key("k"), "2");
            long r3 = kv.put(key("k"), "3").header().revision();
            kv.compact(r3);
            proxy.blackhole(false);

            assertThat(w.terminated()).succeedsWithin(Duration.ofSeconds(60));
            await().atMost(Duration.ofSeconds(5)).until(() -> ev.terminals() == 1);
            assertThat(ev.errors).hasSize(1);
            assertThat(ev.errors.get(0)).isInstanceOf(CompactedException.class);
            assertThat(((CompactedException) ev.errors.get(0)).compactRevision()).isEqualTo(r3);
            // Never a silent skip: the events it did get are the ones before the gap.
            assertThat(ev.events()).extracting(e -> e.kv().value().toStringUtf8()).containsExactly("1");
        }
    }

    @Test
    void largeEventsArriveWholeWithAndWithoutFragmentation() {
        int size = 1024 * 1024;
        long start = currentRevision() + 1;
        for (int i = 0; i < 3; i++) {
            byte[] value = new byte[size];
            java.util.Arrays.fill(value, (byte) ('a' + i));
            kv.put(bkey("big/" + i), Bytes.wrap(value));
        }
        // A replay of all three is one catch-up of more than 3 MiB: over the server's send limit
        // for one fragment, so with fragment() it comes in pieces that the client joins again.
        Events fragmented = new Events();
        Events whole = new Events();
        try (Watcher a = watch(key("big/"), fragmented, prefix(), revision(start), fragment());
             Watcher b = watch(key("big/"), whole, prefix(), revision(start))) {
            fragmented.awaitEvents(3, Duration.ofSeconds(30));
            whole.awaitEvents(3, Duration.ofSeconds(30));
            for (Events ev : List.of(fragmented, whole)) {
                assertThat(ev.events()).hasSize(3);
                for (int i = 0; i < 3; i++) {
                    KeyValue kv = ev.events().get(i).kv();
                    assertThat(kv.key()).isEqualTo(bkey("big/" + i));
                    assertThat(kv.value().size()).isEqualTo(size);
                    assertThat(kv.value().byteAt(size - 1)).isEqualTo((byte) ('a' + i));
                }
                ev.assertOrderedAndUnsplit();
            }
            assertThat(a.spec().fragment()).isTrue();
        } finally {
            kv.delete(key("big/"), prefix());
        }
    }

    // ---- leases and many watches

    @Test
    void keysOfAnExpiredLeaseAreDeletedInOneRevision() {
        long id = result(client.lease().grant(MIN_TTL)).leaseId();
        kv.put(key("a"), "1", lease(id));
        long start = kv.put(key("b"), "2", lease(id)).header().revision() + 1;
        Events ev = new Events();
        try (Watcher w = watch(key(""), ev, prefix(), revision(start))) {
            ev.awaitEvents(2, Duration.ofSeconds(15));
            assertThat(ev.types()).containsExactly(WatchEvent.Type.DELETE, WatchEvent.Type.DELETE);
            assertThat(ev.keys()).containsExactlyInAnyOrder(key("a"), key("b"));
            assertThat(ev.events().get(0).kv().modRevision()).isEqualTo(ev.events().get(1).kv().modRevision());
            ev.assertOrderedAndUnsplit();
        }
    }

    @Test
    void aThousandWatchesOnOneClient() {
        int n = 1000;
        long start = currentRevision() + 1;
        List<Events> all = new ArrayList<>(n);
        List<Watcher> watchers = new ArrayList<>(n);
        try {
            for (int i = 0; i < n; i++) {
                Events ev = new Events();
                all.add(ev);
                // Half watch the prefix, half one key: both kinds share the client's stream.
                watchers.add(i % 2 == 0
                        ? watch(key("w/"), ev, prefix(), revision(start))
                        : watch(key("w/" + (i % 10)), ev, revision(start)));
            }
            List<Op> puts = new ArrayList<>();
            for (int i = 0; i < 10; i++) {
                puts.add(Op.put(key("w/" + i), "v"));
            }
            long rev = kv.commit(Op.txn().then(puts.toArray(new Op[0]))).header().revision();
            await().atMost(Duration.ofSeconds(60)).until(() -> {
                for (int i = 0; i < n; i++) {
                    if (all.get(i).events().size() < (i % 2 == 0 ? 10 : 1)) {
                        return false;
                    }
                }
                return true;
            });
            for (int i = 0; i < n; i++) {
                Events ev = all.get(i);
                assertThat(ev.events()).hasSize(i % 2 == 0 ? 10 : 1);
                assertThat(ev.events()).allSatisfy(e -> assertThat(e.kv().modRevision()).isEqualTo(rev));
            }
        } finally {
            watchers.forEach(Watcher::close);
        }
        await().atMost(Duration.ofSeconds(30)).until(() -> all.stream().allMatch(ev -> ev.closed.get() == 1));
    }

    @Test
    void fiveHundredWatchesCreatedAtOnceEachHearOnlyTheirOwnKey() throws Exception {
        // Created back to back, many in flight on each stream: each created answer must reach its own watch.
        int n = 500;
        List<Events> all = new ArrayList<>(n);
        List<Watcher> watchers = new ArrayList<>(n);
        try {
            for (int i = 0; i < n; i++) {
                Events ev = new Events();
                all.add(ev);
                watchers.add(watch(key("many/" + i), ev));
            }
            for (Watcher w : watchers) {
                w.created().get(60, TimeUnit.SECONDS);
            }
            long[] revs = new long[n];
            for (int i = 0; i < n; i++) {
                revs[i] = kv.put(key("many/" + i), "v" + i).header().revision();
            }
            await().atMost(Duration.ofSeconds(60)).until(() -> all.stream().allMatch(ev -> !ev.events().isEmpty()));
            for (int i = 0; i < n; i++) {
                Events ev = all.get(i);
                assertThat(ev.errors).isEmpty();
                assertThat(ev.events()).as("watch %d", i).hasSize(1);
                assertThat(ev.events().get(0).kv().key()).isEqualTo(bkey("many/" + i));
                assertThat(ev.events().get(0).kv().modRevision()).isEqualTo(revs[i]);
            }
        } finally {
            watchers.forEach(Watcher::close);
        }
        await().atMost(Duration.ofSeconds(30)).until(() -> all.stream().allMatch(ev -> ev.closed.get() == 1));
    }

    @Test
    void callbacksOfOneWatchNeverOverlap() {
        long start = currentRevision() + 1;
        Events ev = new Events() {
            @Override
            public void onNext(WatchResponse response) {
                super.onNext(response);
                // A slow listener: the next callback must wait for this one.
                LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(5));
            }
        };
        try (Watcher w = watch(key("k"), ev, revision(start))) {
            for (int i = 0; i < 30; i++) {
                kv.put(key("k"), "v" + i);
            }
            ev.awaitEvents(30);
            assertThat(ev.overlaps.get()).isZero();
            ev.assertOrderedAndUnsplit();
        }
    }

    // ---- faults: every revision exactly once

    @Test
    void everyRevisionExactlyOnceWhileTheServerIsKilledAndRestarted() {
        assertExactlyOnceAcross(client, ev -> {
            target().kill();
            target().start();
        });
    }

    @Test
    void everyRevisionExactlyOnceAcrossDroppedConnections() {
        try (FaultProxy proxy = FaultProxy.start(endpoints().get(0));
             EtcdClient viaProxy = newClient(List.of(proxy.endpoint()))) {
            assertExactlyOnceAcross(viaProxy, ev -> proxy.dropConnections());
        }
    }

    @Test
    void everyRevisionExactlyOnceAcrossRepeatedDrops() {
        try (FaultProxy proxy = FaultProxy.start(endpoints().get(0));
             EtcdClient viaProxy = newClient(List.of(proxy.endpoint()))) {
            assertExactlyOnceAcross(viaProxy, ev -> {
                for (int i = 0; i < 3; i++) {
                    proxy.dropConnections();
                    // Each drop hits a watch that has resumed from the previous one.
                    int seen = ev.events().size();
                    await().atMost(Duration.ofSeconds(30)).until(() -> ev.events().size() >= seen + 5);
                }
            });
        }
    }

    /**
     * A steady writer puts one key over and over while {@code watcher} watches it and {@code fault}
     * strikes mid-stream. The key's version counts its puts, so the watch must deliver versions
     * 1..N (N read from the store at the end) with strictly rising revisions: nothing lost, nothing
     * twice, nothing out of order. Puts that failed in the fault may or may not have happened; the
     * store decides, the watch must agree.
     */
    private void assertExactlyOnceAcross(EtcdClient watcher, Consumer<Events> fault) {
        long start = currentRevision() + 1;
        Events ev = new Events();
        AtomicBoolean stop = new AtomicBoolean();
        AtomicLong acked = new AtomicLong();
        AtomicInteger failed = new AtomicInteger();
        Thread writer = new Thread(() -> {
            for (int i = 0; !stop.get(); i++) {
                try {
                    kv.put(key("k"), Integer.toString(i));
                    acked.incrementAndGet();
                } catch (EtcdException e) {
                    failed.incrementAndGet();
                }
                // A steady pace, not a flood: the machine is shared.
                LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(5));
            }
        }, "tck-steady-writer");
        Watcher w = watcher.watch().watch(key("k"), ev, revision(start));
        writer.start();
        try {
            ev.awaitEvents(20, Duration.ofSeconds(30));
            fault.accept(ev);
            long ackedAfterFault = acked.get();
            await().atMost(Duration.ofSeconds(60)).until(() -> acked.get() >= ackedAfterFault + 20);
            int seenBefore = ev.events().size();
            await().atMost(Duration.ofSeconds(30)).until(() -> ev.events().size() >= seenBefore + 10);
        } finally {
            stop.set(true);
            joinQuietly(writer);
        }
        try {
            long finalVersion = kv.get(key("k")).kvs().get(0).version();
            ev.awaitEvents((int) finalVersion, Duration.ofSeconds(30));
            List<WatchEvent> events = ev.events();
            assertThat(ev.errors).as("watch errors").isEmpty();
            assertThat(ev.closed.get()).isZero();
            assertThat(events).hasSize((int) finalVersion);
            long lastRev = 0;
            for (int i = 0; i < events.size(); i++) {
                WatchEvent e = events.get(i);
                assertThat(e.type()).isEqualTo(WatchEvent.Type.PUT);
                assertThat(e.kv().version()).as("version of event %d", i).isEqualTo(i + 1);
                assertThat(e.kv().modRevision()).as("revision of event %d", i).isGreaterThan(lastRev);
                lastRev = e.kv().modRevision();
            }
            assertThat(lastRev).isEqualTo(kv.get(key("k")).kvs().get(0).modRevision());
            assertThat(w.lastRevision()).isGreaterThanOrEqualTo(lastRev);
        } finally {
            w.close();
        }
    }

    private static void joinQuietly(Thread t) {
        try {
            t.join(TimeUnit.SECONDS.toMillis(30));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static WatchEvent put(KeyValue kv) {
        return new WatchEvent(WatchEvent.Type.PUT, kv, java.util.Optional.empty());
    }

    /** Records everything one watch says and checks the listener contract as it goes. */
    static class Events implements WatchListener {
        final List<WatchResponse> responses = new CopyOnWriteArrayList<>();
        final List<EtcdException> errors = new CopyOnWriteArrayList<>();
        final AtomicInteger closed = new AtomicInteger();
        final AtomicInteger afterTerminal = new AtomicInteger();
        final AtomicInteger overlaps = new AtomicInteger();
        private final AtomicBoolean inCallback = new AtomicBoolean();
        private final CompletableFuture<Void> terminal = new CompletableFuture<>();

        @Override
        public void onNext(WatchResponse response) {
            enter();
            try {
                if (terminal.isDone()) {
                    afterTerminal.incrementAndGet();
                }
                responses.add(response);
            } finally {
                inCallback.set(false);
            }
        }

        @Override
        public void onError(EtcdException error) {
            enter();
            errors.add(error);
            terminal.complete(null);
            inCallback.set(false);
        }

        @Override
        public void onClosed() {
            enter();
            closed.incrementAndGet();
            terminal.complete(null);
            inCallback.set(false);
        }

        private void enter() {
            if (!inCallback.compareAndSet(false, true)) {
                overlaps.incrementAndGet();
            }
        }

        List<WatchEvent> events() {
            List<WatchEvent> out = new ArrayList<>();
            for (WatchResponse r : responses) {
                out.addAll(r.events());
            }
            return out;
        }

        List<String> keys() {
            return events().stream().map(e -> e.kv().key().toStringUtf8()).toList();
        }

        List<WatchEvent.Type> types() {
            return events().stream().map(WatchEvent::type).toList();
        }

        List<WatchResponse> progress() {
            return responses.stream().filter(WatchResponse::isProgressNotify).toList();
        }

        /** How many progress responses said the watch has got at least to {@code revision}. */
        long progressAfter(long revision) {
            return progress().stream().filter(p -> p.header().revision() >= revision).count();
        }

        int terminals() {
            return closed.get() + errors.size();
        }

        void awaitEvents(int n) {
            awaitEvents(n, Duration.ofSeconds(10));
        }

        void awaitEvents(int n, Duration timeout) {
            await().atMost(timeout).until(() -> events().size() >= n || !errors.isEmpty());
            assertThat(errors).as("watch errors").isEmpty();
            assertThat(events().size()).isGreaterThanOrEqualTo(n);
        }

        void awaitClosed() {
            await().atMost(Duration.ofSeconds(5)).until(() -> closed.get() == 1);
            assertThat(terminals()).isEqualTo(1);
        }

        /** Revisions rise across responses and no revision is split between two responses. */
        void assertOrderedAndUnsplit() {
            Map<Long, Integer> responseOfRevision = new HashMap<>();
            long last = 0;
            for (int i = 0; i < responses.size(); i++) {
                WatchResponse r = responses.get(i);
                for (WatchEvent e : r.events()) {
                    long rev = e.kv().modRevision();
                    assertThat(rev).as("event revisions never go back").isGreaterThanOrEqualTo(last);
                    last = rev;
                    Integer earlier = responseOfRevision.putIfAbsent(rev, i);
                    assertThat(earlier == null || earlier == i).as("revision %d split across responses", rev).isTrue();
                }
                if (!r.events().isEmpty()) {
                    assertThat(r.header().revision()).isGreaterThanOrEqualTo(last);
                }
            }
            assertThat(overlaps.get()).isZero();
        }
    }
}
