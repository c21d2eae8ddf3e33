package dev.etcdj.tck;

import static dev.etcdj.client.Options.prefix;
import static dev.etcdj.client.Options.revision;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.awaitility.Awaitility.await;

import dev.etcdj.client.EtcdClient;
import dev.etcdj.client.EtcdException;
import dev.etcdj.client.EtcdTimeoutException;
import dev.etcdj.client.Futures;
import dev.etcdj.client.KeepAlive;
import dev.etcdj.client.KeyValue;
import dev.etcdj.client.NoLeaderException;
import dev.etcdj.client.Options;
import dev.etcdj.client.WatchEvent;
import dev.etcdj.client.Watcher;
import dev.etcdj.testing.EtcdTargetExtension;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The client against a real 3-member etcd cluster while members die: a steady writer, a watcher
 * and a kept-alive lease ride out killing the leader and killing the member the client is talking
 * to; everything acknowledged is there, nothing is applied twice, the watcher sees the store's
 * history exactly once and in order, the lease lives. And requireLeader (client-wide, or per call
 * with the {@code withRequireLeader} views) fails fast on a member that lost its leader, where a
 * plain call waits out its deadline.
 */
class ClusterFailoverIT extends ClusterSupport {

    private static final Duration RECOVERY = Duration.ofSeconds(20);
    private static final AtomicInteger SEQ = new AtomicInteger();

    @RegisterExtension
    static final EtcdTargetExtension etcd = EtcdTargetExtension.realEtcdCluster(3, "failover");

    @Test
    void writesWatchAndLeaseSurviveKillingTheLeaderAndTheCurrentMember() throws Exception {
        String pfx = "/failover/" + SEQ.incrementAndGet() + "/";
        String key = pfx + "k";
        try (EtcdClient client = EtcdClient.builder().endpoints(cluster().endpoints()).build()) {
            FailoverMembers members = new FailoverMembers(cluster(), client);
            long startRev = Futures.await(client.kv().get("/")).header().revision() + 1;

            FailoverRecorder watched = new FailoverRecorder();
            Watcher watcher = client.watch().watch(pfx, watched, prefix(), revision(startRev));

            // TTL 5 s: etcd's new leader extends leases by an election timeout, but a keep-alive that
            // stalled through the failover for more than ~5 s would lose it.
            long lease = Futures.await(client.lease().grant(5)).leaseId();
            String leaseKey = "/failover-lease/" + SEQ.get();
            Futures.await(client.kv().put(leaseKey, "held", Options.lease(lease)));
            HeardKeepAlive heard = new HeardKeepAlive();
            KeepAlive keepAlive = client.lease().keepAlive(lease, heard);

            List<String> log = new ArrayList<>();
            FailoverWriter writer = new FailoverWriter(client.kv(), key, Duration.ofMillis(5));
            try (FailoverWriter w = writer.start()) {
                w.awaitMoreAcks(100, RECOVERY);

                // 1. Kill the leader mid-stream; writes go on under the new leader. Then bring it
                //    back as a follower.
                int leader = cluster().awaitLeader(Duration.ofSeconds(10));
                killAndRestart(leader, "leader " + leader + " (client on " + members.describe(w.lastMemberId())
                        + ", watch on " + members.describe(watched.lastMemberId()) + ")", w, log, () -> { });

                // 2. Kill the member the client is talking to now, and back.
                int current = members.indexOf(w.lastMemberId());
                killAndRestart(current, "current member " + current + " (leader " + cluster().leaderIndex()
                        + ", watch on " + members.describe(watched.lastMemberId()) + ")", w, log,
                        () -> log.add("client moved to " + members.describe(w.lastMemberId())));

                // 3. Kill the member the watch stream is on (the lease stream shares its member), so
                //    that the streams fail over at least once whoever the client was on before.
                int watchMember = members.indexOf(watched.lastMemberId());
                killAndRestart(watchMember, "watch member " + watchMember + " (leader " + cluster().leaderIndex()
                        + ", client on " + members.describe(w.lastMemberId()) + ")", w, log, () -> {
                            await("watch moves off member " + watchMember).atMost(RECOVERY)
                                    .until(() -> members.indexOf(watched.lastMemberId()) != watchMember);
                            log.add("watch moved to " + members.describe(watched.lastMemberId()));
                        });
            }
            List<FailoverWriter.Attempt> attempts = writer.attempts();
            System.out.println("FAILOVER scenario: " + String.join("; ", log) + "; puts: " + attempts.size()
                    + ", acknowledged: " + writer.acked() + ", failed: " + writer.failures());

            // ---- the store's history of the key, replayed on a fresh client after the dust settled
            KeyValue kv = Futures.await(client.kv().get(key)).kvs().get(0);
            List<FailoverRecorder.Event> history = history(pfx, startRev, kv.modRevision());

            assertThat(history).as("history holds only the writer's puts")
                    .allSatisfy(e -> assertThat(e.key()).isEqualTo(key));
            assertThat((long) history.size()).as("one version per applied put").isEqualTo(kv.version());
            List<Long> seqs = history.stream().map(e -> FailoverWriter.seqOf(e.value())).toList();
            assertThat(new HashSet<>(seqs)).as("no put applied twice").hasSize(seqs.size());
            assertThat(seqs).as("puts applied in the order they were made").isSorted();

            // Every acknowledged put is in the history, at the revision its response named.
            for (FailoverWriter.Attempt a : attempts) {
                if (a.ok()) {
                    assertThat(history).as("acknowledged put %d at revision %d", a.seq(), a.revision())
                            .contains(new FailoverRecorder.Event(a.revision(), key, FailoverWriter.value(a.seq()),
                                    WatchEvent.Type.PUT));
                }
            }
            // Failed puts may or may not have been applied (a timeout cannot tell), but never twice:
            // checked above. Anything applied was attempted.
            Set<Long> attempted = new HashSet<>();
            attempts.forEach(a -> attempted.add(a.seq()));
            assertThat(attempted).containsAll(seqs);

            // ---- the watcher that lived through it all saw exactly that history, once, in order
            await("watcher catches up to revision " + kv.modRevision()).atMost(RECOVERY)
                    .until(() -> watched.lastRevision() >= kv.modRevision() || watched.error() != null);
            assertThat(watched.error()).as("watch error").isNull();
            assertThat(watcher.terminated()).isNotDone();
            assertThat(watched.events()).as("watched events vs the store's history").isEqualTo(history);

            // ---- the lease was kept alive through both failovers
            assertThat(heard.end).as("keep-alive ended").isNotDone();
            assertThat(keepAlive.terminated()).isNotDone();
            assertThat(Futures.await(client.lease().timeToLive(lease, true)).ttl()).isPositive();
            assertThat(Futures.await(client.kv().get(leaseKey)).kvs()).as("the lease's key").hasSize(1);
            System.out.println("FAILOVER lease renewals: " + heard.renewals.size());

            keepAlive.close();
            watcher.close();
        }
    }

    @Test
    void requireLeaderFailsFastOnAMemberThatLostItsLeaderWhileAPlainClientTimesOut() {
        String key = "/failover/" + SEQ.incrementAndGet() + "/k";
        int alone = 0;
        String endpoint = cluster().member(alone).endpoint();
        Duration strictTimeout = Duration.ofSeconds(5);
        Duration plainTimeout = Duration.ofSeconds(3);
        try (EtcdClient strict = EtcdClient.builder().endpoints(endpoint).requireLeader(true)
                     .requestTimeout(strictTimeout).build();
             EtcdClient plain = EtcdClient.builder().endpoints(endpoint).requestTimeout(plainTimeout).build()) {
            // With a leader, requireLeader changes nothing.
            Futures.await(strict.kv().put(key, "before"));
            assertThat(Futures.await(strict.kv().get(key)).kvs()).hasSize(1);

            for (int i = 0; i < cluster().size(); i++) {
                if (i != alone) {
                    cluster().member(i).pause();
                }
            }
            // The lone member drops its leader after an election timeout (a leader steps down on
            // check-quorum, a follower starts an election it cannot win).
            await("member " + alone + " notices it has no leader").atMost(Duration.ofSeconds(20))
                    .pollInterval(Duration.ofMillis(200))
                    .until(() -> catchThrowable(() -> Futures.await(strict.kv().withTimeout(Duration.ofSeconds(1))
                            .get(key))) instanceof NoLeaderException);

            // The same per call, on the plain client: its withRequireLeader views, async and blocking.
            for (Runnable call : List.<Runnable>of(
                    () -> Futures.await(strict.kv().put(key, "no leader")),
                    () -> Futures.await(strict.kv().get(key)),
                    () -> Futures.await(plain.kv().withRequireLeader().get(key)),
                    () -> plain.kv().blocking().withRequireLeader().put(key, "no leader"),
                    () -> Futures.await(plain.lease().withRequireLeader().withTimeout(strictTimeout).grant(30)),
                    () -> plain.lock().withRequireLeader().blocking().lock("/failover/lock", 0))) {
                Failure f = Failure.of("requireLeader", call);
                assertThat(f.error()).isInstanceOf(NoLeaderException.class).hasMessage("etcdserver: no leader");
                assertThat(f.ms()).as("fails fast, well within the %s request timeout", strictTimeout)
                        .isLessThan(1000);
            }

            Failure f = Failure.of("plain client", () -> Futures.await(plain.kv().get(key)));
            assertThat(f.error()).isInstanceOf(EtcdTimeoutException.class);
            assertThat(f.ms()).as("waits out its deadline").isBetween(plainTimeout.toMillis() - 100,
                    plainTimeout.toMillis() + 2000);
            // while a serializable read is answered by the lone member from what it has.
            assertThat(Futures.await(plain.kv().get(key, Options.serializable())).kvs()).hasSize(1);
        } finally {
            for (int i = 0; i < cluster().size(); i++) {
                if (cluster().member(i).isPaused()) {
                    cluster().member(i).resume();
                }
            }
        }
    }

    /** What a call that was to fail threw, and how long it took to. */
    private record Failure(Throwable error, long ms) {
        static Failure of(String what, Runnable call) {
            long start = System.nanoTime();
            Throwable e = catchThrowable(call::run);
            long ms = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
            System.out.println("FAILOVER " + what + " failed after " + ms + " ms: " + e
                    + (e instanceof EtcdException ee ? " (code " + ee.code() + ", cause " + ee.getCause() + ")" : ""));
            return new Failure(e, ms);
        }
    }

    /**
     * Kills member {@code i} mid-stream and waits for the writer to go on without it (and for
     * {@code whileDown}), then brings it back and waits for the writer again.
     */
    private void killAndRestart(int i, String victim, FailoverWriter w, List<String> log, Runnable whileDown) {
        log.add("kill " + victim);
        cluster().member(i).kill();
        w.awaitMoreAcks(100, RECOVERY);
        whileDown.run();
        cluster().start();
        log.add("restarted " + i);
        w.awaitMoreAcks(100, RECOVERY);
    }

    /** The events of the prefix from fromRev up to toRev, as a fresh watch replays them from the store. */
    private List<FailoverRecorder.Event> history(String pfx, long fromRev, long toRev) {
        try (EtcdClient fresh = EtcdClient.builder().endpoints(cluster().endpoints()).build()) {
            FailoverRecorder replay = new FailoverRecorder();
            try (Watcher w = fresh.watch().watch(pfx, replay, prefix(), revision(fromRev))) {
                await("replay up to revision " + toRev).atMost(RECOVERY)
                        .until(() -> replay.lastRevision() >= toRev || replay.error() != null);
                assertThat(replay.error()).as("replay error").isNull();
            }
            return replay.events();
        }
    }
}
