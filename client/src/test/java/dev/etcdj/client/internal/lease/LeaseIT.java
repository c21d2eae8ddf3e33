package dev.etcdj.client.internal.lease;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.etcdj.client.EtcdException;
import dev.etcdj.client.KeepAlive;
import dev.etcdj.client.KeepAliveListener;
import dev.etcdj.client.LeaseKeepAliveResponse;
import dev.etcdj.client.LeaseNotFoundException;
import dev.etcdj.client.LeaseTimeToLiveResponse;
import dev.etcdj.client.Options;
import dev.etcdj.client.WatchEvent;
import dev.etcdj.client.internal.watch.Kv;
import dev.etcdj.client.internal.watch.Recorder;
import dev.etcdj.client.internal.watch.TestTransport;
import dev.etcdj.client.internal.watch.WatchClientImpl;
import dev.etcdj.testing.EtcdProcess;
import dev.etcdj.testing.FaultProxy;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The lease client against a real etcd: calls, keys going with their lease, and keep-alives that never end silently. */
class LeaseIT {

    static final Duration T = Duration.ofSeconds(20);
    static EtcdProcess etcd;
    static Kv kv;

    TestTransport transport;
    LeaseClientImpl lease;
    WatchClientImpl watch;

    @BeforeAll
    static void startEtcd() {
        etcd = EtcdProcess.builder().name("lease-it").build();
        etcd.start();
        kv = new Kv(etcd.endpoint());
    }

    @AfterAll
    static void stopEtcd() {
        if (kv != null) {
            kv.close();
        }
        if (etcd != null) {
            etcd.close();
        }
    }

    @BeforeEach
    void client() {
        transport = new TestTransport(etcd.endpoint());
        lease = new LeaseClientImpl(transport);
        watch = new WatchClientImpl(transport);
    }

    @AfterEach
    void closeClient() {
        lease.close();
        watch.close();
        transport.close();
    }

    /** Records a keep-alive's events and checks there is exactly one terminal one, last. */
    static final class Events implements KeepAliveListener {
        final List<LeaseKeepAliveResponse> renewals = new ArrayList<>();
        final List<String> terminals = new ArrayList<>();
        final CompletableFuture<EtcdException> error = new CompletableFuture<>();
        boolean renewedAfterEnd;

        @Override
        public synchronized void onRenewed(LeaseKeepAliveResponse response) {
            renewedAfterEnd |= !terminals.isEmpty();
            renewals.add(response);
        }

        @Override
        public synchronized void onExpired(long leaseId) {
            terminals.add("expired");
        }

        @Override
        public synchronized void onError(EtcdException e) {
            terminals.add("error");
            error.complete(e);
        }

        @Override
        public synchronized void onClosed() {
            terminals.add("closed");
        }

        synchronized int renewalCount() {
            return renewals.size();
        }

        synchronized List<String> terminals() {
            return new ArrayList<>(terminals);
        }
    }

    static Throwable cause(Throwable t) {
        return t instanceof CompletionException && t.getCause() != null ? t.getCause() : t;
    }

    static void awaitCondition(java.util.function.BooleanSupplier c, Duration timeout) {
        dev.etcdj.testing.Await.until(timeout, "condition", c);
    }

    @Test
    void grantRevokeTimeToLiveAndList() {
        var granted = lease.grant(30).join();
        assertThat(granted.leaseId()).isPositive();
        assertThat(granted.ttl()).isEqualTo(30);
        long id = granted.leaseId();
        kv.put("l1/a", "x", id);
        kv.put("l1/b", "y", id);

        LeaseTimeToLiveResponse ttl = lease.timeToLive(id, true).join();
        assertThat(ttl.grantedTtl()).isEqualTo(30);
        assertThat(ttl.ttl()).isBetween(1L, 30L);
        assertThat(ttl.keys()).extracting(k -> k.toStringUtf8()).containsExactlyInAnyOrder("l1/a", "l1/b");
        assertThat(lease.leases().join().leaseIds()).contains(id);
        assertThat(lease.keepAliveOnce(id).join().ttl()).isEqualTo(30);

        lease.revoke(id).join();
        assertThat(lease.timeToLive(id, false).join().ttl()).isEqualTo(-1);
        assertThat(lease.leases().join().leaseIds()).doesNotContain(id);
        assertThat(kv.get("l1/", "l10").getKvsCount()).isZero();

        assertThatThrownBy(() -> lease.keepAliveOnce(id).join())
                .satisfies(e -> assertThat(cause(e)).isInstanceOf(LeaseNotFoundException.class));
        assertThatThrownBy(() -> lease.revoke(id).join()).satisfies(e -> {
            assertThat(cause(e)).isInstanceOf(LeaseNotFoundException.class);
            assertThat(((LeaseNotFoundException) cause(e)).leaseId()).isEqualTo(id);
        });
    }

    @Test
    void grantWithAnIdAndMinimumTtl() {
        long id = 0x1234_5678L;
        var g = lease.withTimeout(Duration.ofSeconds(5)).grant(1, id).join();
        assertThat(g.leaseId()).isEqualTo(id);
        assertThat(g.ttl()).as("etcd raises TTLs below its minimum").isEqualTo(2);
        assertThatThrownBy(() -> lease.grant(10, id).join())
                .satisfies(e -> assertThat(cause(e)).isInstanceOf(EtcdException.class)
                        .hasMessageContaining("lease already exists"));
        lease.revoke(id).join();
    }

    @Test
    void revokedKeysVanishAtOneRevision() throws Exception {
        long id = lease.grant(60).join().leaseId();
        kv.put("l2/a", "1", id);
        kv.put("l2/b", "2", id);
        Recorder r = new Recorder();
        watch.watch("l2/", r, Options.prefix(), Options.revision(kv.revision() + 1));
        lease.revoke(id).join();
        r.awaitEvents(2, T);
        assertThat(r.responses()).hasSize(1);
        assertThat(r.events()).extracting(WatchEvent::type).containsOnly(WatchEvent.Type.DELETE);
        assertThat(r.revisions().get(0)).isEqualTo(r.revisions().get(1));
        assertThat(kv.get("l2/", "l20").getKvsCount()).isZero();
    }

    @Test
    void expiredKeysVanishAtOneRevision() throws Exception {
        long id = lease.grant(2).join().leaseId();
        kv.put("l3/a", "1", id);
        kv.put("l3/b", "2", id);
        Recorder r = new Recorder();
        watch.watch("l3/", r, Options.prefix(), Options.revision(kv.revision() + 1));
        r.awaitEvents(2, T);
        assertThat(r.responses()).hasSize(1);
        assertThat(r.events()).extracting(WatchEvent::type).containsOnly(WatchEvent.Type.DELETE);
        assertThat(r.revisions().get(0)).isEqualTo(r.revisions().get(1));
        assertThat(lease.timeToLive(id, false).join().ttl()).isEqualTo(-1);
    }

    @Test
    void keepAliveKeepsATwoSecondLeaseAliveForTenSeconds() throws Exception {
        long id = lease.grant(2).join().leaseId();
        kv.put("l4/k", "v", id);
        Events ev = new Events();
        KeepAlive ka = lease.keepAlive(id, ev);
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (System.nanoTime() < end) {
            assertThat(lease.timeToLive(id, false).join().ttl()).as("lease alive").isPositive();
            Thread.sleep(500);      // sampling over a fixed span is the point of this test
        }
        assertThat(kv.get("l4/k", "").getKvsCount()).isEqualTo(1);
        assertThat(ev.renewalCount()).as("renewed about every 2/3 s").isBetween(10, 40);
        assertThat(ev.renewals.get(0).ttl()).isEqualTo(2);
        ka.close();
        ka.terminated().get(5, TimeUnit.SECONDS);
        assertThat(ev.terminals()).containsExactly("closed");
        // no longer renewed: the lease expires by itself
        awaitCondition(() -> lease.timeToLive(id, false).join().ttl() == -1, T);
        assertThat(ev.renewedAfterEnd).isFalse();
    }

    @Test
    void keepAliveReportsExpiredWhenTheLeaseIsRevokedBehindItsBack() throws Exception {
        long id = lease.grant(3).join().leaseId();
        Events ev = new Events();
        KeepAlive ka = lease.keepAlive(id, ev);
        awaitCondition(() -> ev.renewalCount() >= 1, T);
        try (TestTransport other = new TestTransport(etcd.endpoint())) {
            new LeaseClientImpl(other).revoke(id).join();     // another client, as another process would
        }
        ka.terminated().get(10, TimeUnit.SECONDS);
        assertThat(ev.terminals()).containsExactly("expired");
        assertThat(lease.keepAlives().leaseCount()).isZero();
    }

    @Test
    void keepAliveOfAnUnknownLeaseEndsWithExpired() throws Exception {
        Events ev = new Events();
        KeepAlive ka = lease.keepAlive(987654321L, ev);
        ka.terminated().get(10, TimeUnit.SECONDS);
        assertThat(ev.terminals()).containsExactly("expired");
        assertThat(ev.renewalCount()).isZero();
    }

    @Test
    void severalKeepAlivesOfOneLeaseShareTheRenewals() throws Exception {
        long id = lease.grant(2).join().leaseId();
        Events a = new Events(), b = new Events();
        KeepAlive ka = lease.keepAlive(id, a);
        KeepAlive kb = lease.keepAlive(id, b);
        assertThat(lease.keepAlives().leaseCount()).isEqualTo(1);
        awaitCondition(() -> a.renewalCount() >= 3 && b.renewalCount() >= 3, T);
        ka.close();
        ka.terminated().get(5, TimeUnit.SECONDS);
        int before = b.renewalCount();
        awaitCondition(() -> b.renewalCount() >= before + 3, T);   // the other one goes on
        assertThat(a.terminals()).containsExactly("closed");
        assertThat(b.terminals()).isEmpty();
        lease.close();      // closing the client ends the rest
        kb.terminated().get(5, TimeUnit.SECONDS);
        assertThat(b.terminals()).containsExactly("closed");
        // after close, a new keep-alive ends at once, not silently
        Events late = new Events();
        lease.keepAlive(id, late).terminated().get(5, TimeUnit.SECONDS);
        assertThat(late.terminals()).containsExactly("closed");
    }

    @Test
    void keepAliveSurvivesDroppedConnections() throws Exception {
        try (FaultProxy proxy = FaultProxy.start(etcd.endpoint());
             TestTransport viaProxy = new TestTransport(proxy.endpoint());
             LeaseClientImpl leases = new LeaseClientImpl(viaProxy)) {
            long id = leases.grant(3).join().leaseId();
            Events ev = new Events();
            leases.keepAlive(id, ev);
            for (int i = 0; i < 4; i++) {
                // Renewals reach the listener asynchronously, so counting them does not tell that
                // the stream is back; a drop while it is still reconnecting would break nothing.
                awaitCondition(() -> leases.keepAlives().streamAnswered(), T);
                int failures = viaProxy.failures();
                int before = ev.renewalCount();
                proxy.dropConnections();
                awaitCondition(() -> viaProxy.failures() > failures, T);     // the drop broke the stream
                awaitCondition(() -> ev.renewalCount() >= before + 2, T);    // and renewals go on
                assertThat(ev.terminals()).as("after drop " + i).isEmpty();
            }
            assertThat(lease.timeToLive(id, false).join().ttl()).isPositive();
            assertThat(ev.terminals()).isEmpty();
        }
    }

    @Test
    void keepAliveThatCannotRenewBeforeTheDeadlineEndsWithError() throws Exception {
        try (FaultProxy proxy = FaultProxy.start(etcd.endpoint());
             TestTransport viaProxy = new TestTransport(proxy.endpoint());
             LeaseClientImpl leases = new LeaseClientImpl(viaProxy)) {
            // 5 s, not less: on a loaded machine opening the stream through the proxy on a fresh
            // connection can take seconds, and a lease that expires first never gets its renewal.
            long id = leases.grant(5).join().leaseId();
            Events ev = new Events();
            KeepAlive ka = leases.keepAlive(id, ev);
            awaitCondition(() -> ev.renewalCount() >= 1, T);
            proxy.blackhole(true);      // a partition: nothing arrives, nothing fails fast
            ka.terminated().get(T.toSeconds(), TimeUnit.SECONDS);
            assertThat(ev.terminals()).containsExactly("error");
            assertThat(ev.error.get().getMessage()).contains("could not be renewed");
            proxy.blackhole(false);
        }
    }
}
