package dev.etcdj.tck;

import static dev.etcdj.client.Options.prefix;
import static dev.etcdj.client.Options.revision;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.etcdj.client.CompactedException;
import dev.etcdj.client.EtcdClient;
import dev.etcdj.client.EtcdException;
import dev.etcdj.client.WatchEvent;
import dev.etcdj.client.Watcher;
import dev.etcdj.testing.FaultProxy;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentSkipListSet;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Several watches of the same range and flags on one client: each hears what a watch of its own
 * would hear, whether the client lets them share a server watch (its default) or not. Every test
 * runs both ways, on a client of its own.
 */
public abstract class WatchSharingContract extends ContractSupport {

    private EtcdClient client(boolean coalesce, List<String> endpoints) {
        return EtcdClient.builder().endpoints(endpoints).dialTimeout(Duration.ofSeconds(5))
                .requestTimeout(Duration.ofSeconds(10)).coalesceWatches(coalesce).build();
    }

    private static List<Long> revisions(WatchContract.Events ev) {
        return ev.events().stream().map(e -> e.kv().modRevision()).toList();
    }

    @ParameterizedTest(name = "coalesced: {0}")
    @ValueSource(booleans = {true, false})
    void watchesOfOnePrefixEachHearEveryLaterPutOnceAndInOrder(boolean coalesce) throws Exception {
        try (EtcdClient c = client(coalesce, endpoints())) {
            List<WatchContract.Events> all = new ArrayList<>();
            List<Watcher> watchers = new ArrayList<>();
            for (int i = 0; i < 20; i++) {
                WatchContract.Events ev = new WatchContract.Events();
                all.add(ev);
                watchers.add(c.watch().watch(prefix, ev, prefix()));
            }
            for (Watcher w : watchers) {
                w.created().get(10, TimeUnit.SECONDS);
            }
            List<Long> written = new ArrayList<>();
            for (int i = 0; i < 30; i++) {
                written.add(kv.put(key("k" + (i % 7)), "v" + i).header().revision());
            }
            for (WatchContract.Events ev : all) {
                ev.awaitEvents(written.size());
                assertThat(revisions(ev)).isEqualTo(written);
                ev.assertOrderedAndUnsplit();
            }
            watchers.forEach(Watcher::close);
        }
    }

    @ParameterizedTest(name = "coalesced: {0}")
    @ValueSource(booleans = {true, false})
    void watchesMadeWhileAWriterRunsHearEveryPutAfterTheirFirstWithNoGapAndNoRepeat(boolean coalesce) throws Exception {
        try (EtcdClient c = client(coalesce, endpoints())) {
            ConcurrentSkipListSet<Long> written = new ConcurrentSkipListSet<>();
            AtomicBoolean stop = new AtomicBoolean();
            Thread writer = new Thread(() -> {
                for (int i = 0; !stop.get(); i++) {
                    written.add(kv.put(key("k"), "v" + i).header().revision());
                    LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(1));
                }
            }, "tck-sharing-writer");
            writer.start();
            List<WatchContract.Events> all = new ArrayList<>();
            List<Watcher> watchers = new ArrayList<>();
            try {
                for (int i = 0; i < 30; i++) {
                    WatchContract.Events ev = new WatchContract.Events();
                    all.add(ev);
                    Watcher w = c.watch().watch(key("k"), ev);
                    watchers.add(w);
                    if (i % 3 == 0) {
                        w.created().get(10, TimeUnit.SECONDS);   // later watches join one that has been running
                    }
                }
                for (WatchContract.Events ev : all) {
                    ev.awaitEvents(10, Duration.ofSeconds(30));
                }
            } finally {
                stop.set(true);
                writer.join(TimeUnit.SECONDS.toMillis(30));
            }
            long last = written.last();
            for (int i = 0; i < all.size(); i++) {
                WatchContract.Events ev = all.get(i);
                await().atMost(Duration.ofSeconds(10)).until(() -> !ev.events().isEmpty()
                        && ev.events().get(ev.events().size() - 1).kv().modRevision() == last);
                List<Long> heard = revisions(ev);
                assertThat(heard).as("watch %d: every put from its first event on, once, in order", i)
                        .isEqualTo(List.copyOf(written.tailSet(heard.get(0))));
                assertThat(ev.errors).isEmpty();
            }
            watchers.forEach(Watcher::close);
        }
    }

    @ParameterizedTest(name = "coalesced: {0}")
    @ValueSource(booleans = {true, false})
    void aWatchLikeOneAlreadyRunningStartsAfterWhatWasWrittenBeforeIt(boolean coalesce) throws Exception {
        try (EtcdClient c = client(coalesce, endpoints())) {
            WatchContract.Events first = new WatchContract.Events();
            Watcher a = c.watch().watch(key("k"), first);
            a.created().get(10, TimeUnit.SECONDS);
            long r1 = kv.put(key("k"), "1").header().revision();
            first.awaitEvents(1);
            long r2 = kv.put(key("k"), "2").header().revision();    // the first watch may not have it yet

            WatchContract.Events second = new WatchContract.Events();
            Watcher b = c.watch().watch(key("k"), second);
            b.created().get(10, TimeUnit.SECONDS);
            long r3 = kv.put(key("k"), "3").header().revision();
            first.awaitEvents(3);
            second.awaitEvents(1);
            // Give a wrongly replayed r2 the time to show up behind r3: another put, heard by both.
            long r4 = kv.put(key("k"), "4").header().revision();
            first.awaitEvents(4);
            second.awaitEvents(2);
            assertThat(revisions(first)).containsExactly(r1, r2, r3, r4);
            assertThat(revisions(second)).containsExactly(r3, r4);
            a.close();
            b.close();
        }
    }

    @ParameterizedTest(name = "coalesced: {0}")
    @ValueSource(booleans = {true, false})
    void closingSomeWatchesOfARangeLeavesTheOthersHearingIt(boolean coalesce) throws Exception {
        try (EtcdClient c = client(coalesce, endpoints())) {
            List<WatchContract.Events> all = new ArrayList<>();
            List<Watcher> watchers = new ArrayList<>();
            for (int i = 0; i < 5; i++) {
                WatchContract.Events ev = new WatchContract.Events();
                all.add(ev);
                watchers.add(c.watch().watch(prefix, ev, prefix()));
                watchers.get(i).created().get(10, TimeUnit.SECONDS);
            }
            long r1 = kv.put(key("a"), "1").header().revision();
            all.forEach(ev -> ev.awaitEvents(1));
            watchers.get(0).close();      // the first made, whose server watch the others may share
            watchers.get(2).close();
            all.get(0).awaitClosed();
            all.get(2).awaitClosed();
            long r2 = kv.put(key("b"), "2").header().revision();
            all.get(1).awaitEvents(2);
            watchers.get(1).close();
            all.get(1).awaitClosed();
            long r3 = kv.put(key("c"), "3").header().revision();
            all.get(3).awaitEvents(3);
            all.get(4).awaitEvents(3);

            assertThat(revisions(all.get(3))).containsExactly(r1, r2, r3);
            assertThat(revisions(all.get(4))).containsExactly(r1, r2, r3);
            long r4 = kv.put(key("d"), "4").header().revision();
            all.get(4).awaitEvents(4);
            assertThat(revisions(all.get(0))).containsExactly(r1);
            assertThat(revisions(all.get(2))).containsExactly(r1);
            assertThat(revisions(all.get(1))).containsExactly(r1, r2);
            assertThat(revisions(all.get(4))).containsExactly(r1, r2, r3, r4);
            for (WatchContract.Events ev : all) {
                assertThat(ev.afterTerminal.get()).isZero();
                ev.assertOrderedAndUnsplit();
            }
            watchers.get(3).close();
            watchers.get(4).close();
        }
    }

    @ParameterizedTest(name = "coalesced: {0}")
    @ValueSource(booleans = {true, false})
    void aWatchLikeARunningOneButFromAnEarlierRevisionReplaysThenGoesOn(boolean coalesce) throws Exception {
        try (EtcdClient c = client(coalesce, endpoints())) {
            WatchContract.Events live = new WatchContract.Events();
            Watcher a = c.watch().watch(key("k"), live);
            a.created().get(10, TimeUnit.SECONDS);
            List<Long> written = new ArrayList<>();
            for (int i = 0; i < 5; i++) {
                written.add(kv.put(key("k"), "v" + i).header().revision());
            }
            live.awaitEvents(5);
            WatchContract.Events replay = new WatchContract.Events();
            Watcher b = c.watch().watch(key("k"), replay, revision(written.get(0)));
            replay.awaitEvents(5);
            for (int i = 5; i < 10; i++) {
                written.add(kv.put(key("k"), "v" + i).header().revision());
            }
            live.awaitEvents(10);
            replay.awaitEvents(10);
            assertThat(revisions(live)).isEqualTo(written);
            assertThat(revisions(replay)).isEqualTo(written);
            a.close();
            b.close();
        }
    }

    @ParameterizedTest(name = "coalesced: {0}")
    @ValueSource(booleans = {true, false})
    void aRefusedWatchLikeARunningOneEndsAloneAndTheRunningOneGoesOn(boolean coalesce) throws Exception {
        try (EtcdClient c = client(coalesce, endpoints())) {
            long old = kv.put(key("k"), "old").header().revision();
            WatchContract.Events running = new WatchContract.Events();
            Watcher a = c.watch().watch(key("k"), running);
            a.created().get(10, TimeUnit.SECONDS);
            long compacted = kv.put(key("k"), "v1").header().revision();
            c.kv().compact(compacted).get(10, TimeUnit.SECONDS);

            WatchContract.Events refused = new WatchContract.Events();
            Watcher b = c.watch().watch(key("k"), refused, revision(old));
            await().atMost(Duration.ofSeconds(10)).until(() -> !refused.errors.isEmpty());
            assertThat(refused.errors.get(0)).isInstanceOf(CompactedException.class);

            long r2 = kv.put(key("k"), "v2").header().revision();
            running.awaitEvents(2);
            assertThat(revisions(running)).containsExactly(compacted, r2);
            assertThat(running.errors).isEmpty();
            assertThat(refused.events()).isEmpty();
            a.close();
            b.close();
        }
    }

    @ParameterizedTest(name = "coalesced: {0}")
    @ValueSource(booleans = {true, false})
    void watchesOfOneKeyEachHearEveryRevisionOnceAcrossDroppedConnections(boolean coalesce) throws Exception {
        try (FaultProxy proxy = FaultProxy.start(endpoints().get(0));
             EtcdClient c = client(coalesce, List.of(proxy.endpoint()))) {
            long start = currentRevision() + 1;
            List<WatchContract.Events> all = new ArrayList<>();
            List<Watcher> watchers = new ArrayList<>();
            for (int i = 0; i < 4; i++) {
                WatchContract.Events ev = new WatchContract.Events();
                all.add(ev);
                // Two from the start revision, two from now: all four may share one server watch.
                watchers.add(i < 2 ? c.watch().watch(key("k"), ev, revision(start)) : c.watch().watch(key("k"), ev));
            }
            for (Watcher w : watchers) {
                w.created().get(10, TimeUnit.SECONDS);
            }
            AtomicBoolean stop = new AtomicBoolean();
            Thread writer = new Thread(() -> {
                for (int i = 0; !stop.get(); i++) {
                    try {
                        kv.put(key("k"), Integer.toString(i));
                    } catch (EtcdException e) {
                        // Not through the proxy: does not happen; the store decides anyway.
                    }
                    LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(5));
                }
            }, "tck-sharing-steady-writer");
            writer.start();
            try {
                for (int drop = 0; drop < 2; drop++) {
                    WatchContract.Events probe = all.get(3);
                    int seen = probe.events().size();
                    await().atMost(Duration.ofSeconds(30)).until(() -> probe.events().size() >= seen + 10);
                    proxy.dropConnections();
                }
                int seen = all.get(0).events().size();
                await().atMost(Duration.ofSeconds(30)).until(() -> all.get(0).events().size() >= seen + 10);
            } finally {
                stop.set(true);
                writer.join(TimeUnit.SECONDS.toMillis(30));
            }
            long finalVersion = kv.get(key("k")).kvs().get(0).version();
            for (int i = 0; i < all.size(); i++) {
                WatchContract.Events ev = all.get(i);
                await().atMost(Duration.ofSeconds(30)).until(() -> !ev.events().isEmpty()
                        && ev.events().get(ev.events().size() - 1).kv().version() == finalVersion);
                List<WatchEvent> events = ev.events();
                long firstVersion = events.get(0).kv().version();
                if (i < 2) {
                    assertThat(firstVersion).as("watch %d, from the start revision", i).isEqualTo(1);
                }
                for (int j = 0; j < events.size(); j++) {
                    assertThat(events.get(j).kv().version()).as("watch %d, event %d", i, j).isEqualTo(firstVersion + j);
                }
                assertThat(ev.errors).isEmpty();
            }
            watchers.forEach(Watcher::close);
        }
    }
}
