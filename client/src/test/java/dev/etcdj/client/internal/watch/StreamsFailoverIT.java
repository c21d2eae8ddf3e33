package dev.etcdj.client.internal.watch;

import static org.assertj.core.api.Assertions.assertThat;

import dev.etcdj.client.EtcdClient;
import dev.etcdj.client.EtcdException;
import dev.etcdj.client.KeepAliveListener;
import dev.etcdj.client.LeaseKeepAliveResponse;
import dev.etcdj.client.Options;
import dev.etcdj.client.Watcher;
import dev.etcdj.testing.Await;
import dev.etcdj.testing.EtcdCluster;
import dev.etcdj.testing.EtcdProcess;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * The real client (its gRPC transport, not the test one): a watch and a keep-alive through an
 * etcd killed and restarted, and through the failure of each member of a cluster in turn.
 */
class StreamsFailoverIT {

    static final Duration T = Duration.ofSeconds(60);

    /** Writes through the client under test until stopped; a write that fails is simply not counted. */
    static final class Writer implements AutoCloseable {
        final AtomicBoolean stop = new AtomicBoolean();
        final AtomicInteger acked = new AtomicInteger();
        final Thread thread;

        Writer(EtcdClient client, String prefix) {
            thread = new Thread(() -> {
                int i = 0;
                while (!stop.get()) {
                    try {
                        client.kv().put(prefix + (i % 10), Integer.toString(i++)).get(5, TimeUnit.SECONDS);
                        acked.incrementAndGet();
                    } catch (Exception e) {
                        // a member is down; the client fails over, go on
                    }
                }
            }, "writer");
            thread.setDaemon(true);
            thread.start();
        }

        void awaitMore(int n) throws InterruptedException {
            int target = acked.get() + n;
            Await.until(T, "writes go on", () -> acked.get() >= target);
        }

        @Override
        public void close() throws InterruptedException {
            stop.set(true);
            thread.join();
        }
    }

    static final class Renewals implements KeepAliveListener {
        final AtomicInteger renewed = new AtomicInteger();
        final CompletableFuture<String> ended = new CompletableFuture<>();

        @Override
        public void onRenewed(LeaseKeepAliveResponse response) {
            renewed.incrementAndGet();
        }

        @Override
        public void onExpired(long leaseId) {
            ended.complete("expired");
        }

        @Override
        public void onError(EtcdException error) {
            ended.complete("error " + error);
        }

        @Override
        public void onClosed() {
            ended.complete("closed");
        }
    }

    static long revision(EtcdClient client) throws Exception {
        return client.kv().get("\0").get(10, TimeUnit.SECONDS).header().revision();
    }

    static void assertSequence(Recorder r, long from, long to) {
        List<String> problems = new ArrayList<>();
        long next = from + 1;
        for (long rev : r.revisions()) {
            if (rev != next) {
                problems.add("expected " + next + " got " + rev);
            }
            next = Math.max(next, rev + 1);
        }
        if (next != to + 1) {
            problems.add("ended at " + (next - 1) + " instead of " + to);
        }
        assertThat(problems).as("events in (%d, %d]", from, to).isEmpty();
        assertThat(r.terminals()).isZero();
        assertThat(r.misbehaved()).isFalse();
    }

    @Test
    void watchAndKeepAliveRideOutAKilledAndRestartedEtcd() throws Exception {
        try (EtcdProcess etcd = EtcdProcess.builder().name("streams-restart").build()) {
            etcd.start();
            try (EtcdClient client = EtcdClient.builder().endpoints(etcd.endpoint()).build()) {
                long lease = client.lease().grant(5).get(10, TimeUnit.SECONDS).leaseId();
                Renewals renewals = new Renewals();
                client.lease().keepAlive(lease, renewals);
                long from = revision(client);
                Recorder r = new Recorder();
                Watcher w = client.watch().watch("r/", r, Options.prefix(), Options.revision(from + 1));
                Writer writer = new Writer(client, "r/");
                for (int i = 0; i < 2; i++) {
                    writer.awaitMore(150);
                    etcd.kill();
                    etcd.start();
                }
                writer.awaitMore(150);
                writer.close();
                long to = revision(client);
                r.await(() -> w.lastRevision() >= to, T);
                assertSequence(r, from, to);
                int before = renewals.renewed.get();
                Await.until(T, "renewals resume", () -> renewals.renewed.get() >= before + 2);
                assertThat(renewals.ended).isNotDone();
                assertThat(client.lease().timeToLive(lease, false).get(10, TimeUnit.SECONDS).ttl()).isPositive();
                client.close();
                assertThat(renewals.ended.get(10, TimeUnit.SECONDS)).isEqualTo("closed");
                assertThat(r.closed).succeedsWithin(Duration.ofSeconds(10));
            }
        }
    }

    @Test
    void watchAndKeepAliveFailOverAsEachClusterMemberDies() throws Exception {
        try (EtcdCluster cluster = EtcdCluster.builder().size(3).namePrefix("streams-failover").build()) {
            cluster.start();
            cluster.awaitLeader(T);
            try (EtcdClient client = EtcdClient.builder().endpoints(cluster.endpoints()).build()) {
                long lease = client.lease().grant(6).get(10, TimeUnit.SECONDS).leaseId();
                Renewals renewals = new Renewals();
                client.lease().keepAlive(lease, renewals);
                long from = revision(client);
                Recorder r = new Recorder();
                Watcher w = client.watch().watch("f/", r, Options.prefix(), Options.revision(from + 1));
                Writer writer = new Writer(client, "f/");
                for (int i = 0; i < cluster.size(); i++) {
                    writer.awaitMore(100);
                    cluster.member(i).kill();
                    cluster.awaitLeader(T);
                    writer.awaitMore(100);
                    int seen = renewals.renewed.get();
                    Await.until(T, "renewals go on without member " + i, () -> renewals.renewed.get() >= seen + 1);
                    cluster.member(i).start();
                }
                writer.close();
                long to = revision(client);
                r.await(() -> w.lastRevision() >= to, T);
                assertSequence(r, from, to);
                assertThat(renewals.ended).isNotDone();
            }
        }
    }
}
