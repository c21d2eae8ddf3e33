package dev.etcdj.tck;

import static dev.etcdj.client.Options.lease;
import static dev.etcdj.client.Options.prefix;
import static dev.etcdj.client.Options.revision;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.awaitility.Awaitility.await;

import dev.etcdj.client.Bytes;
import dev.etcdj.client.EtcdClient;
import dev.etcdj.client.EtcdError;
import dev.etcdj.client.EtcdException;
import dev.etcdj.client.KeepAlive;
import dev.etcdj.client.LeaseClient;
import dev.etcdj.client.LeaseExistsException;
import dev.etcdj.client.LeaseGrantResponse;
import dev.etcdj.client.LeaseKeepAliveResponse;
import dev.etcdj.client.LeaseNotFoundException;
import dev.etcdj.client.LeaseTimeToLiveResponse;
import dev.etcdj.client.LeaseTtlTooLargeException;
import dev.etcdj.client.WatchEvent;
import dev.etcdj.client.WatchListener;
import dev.etcdj.client.WatchResponse;
import dev.etcdj.client.Watcher;
import dev.etcdj.testing.FaultProxy;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ThreadLocalRandom;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Leases: grant, revoke, renew once or forever, ask about them, and what their end does to keys. */
public abstract class LeaseContract extends ContractSupport {

    /** etcd's minimum TTL with default heartbeat and election timeouts. */
    protected static final long MIN_TTL = 2;

    private LeaseClient leases;

    @BeforeEach
    void leases() {
        leases = client.lease();
    }

    @Test
    void grantReturnsAPositiveIdAndTheTtl() {
        LeaseGrantResponse g = result(leases.grant(30));
        assertThat(g.leaseId()).isPositive();
        assertThat(g.ttl()).isEqualTo(30);
        assertThat(g.header().revision()).isPositive();
        assertThat(result(leases.leases()).leaseIds()).contains(g.leaseId());
        result(leases.revoke(g.leaseId()));
        assertThat(result(leases.leases()).leaseIds()).doesNotContain(g.leaseId());
    }

    @Test
    void ttlsBelowTheMinimumAreRaised() {
        LeaseGrantResponse g = result(leases.grant(1));
        assertThat(g.ttl()).isEqualTo(MIN_TTL);
        result(leases.revoke(g.leaseId()));
    }

    @Test
    void grantWithAChosenId() {
        long id = ThreadLocalRandom.current().nextLong(1, Long.MAX_VALUE);
        LeaseGrantResponse g = result(leases.grant(30, id));
        assertThat(g.leaseId()).isEqualTo(id);
        fails(LeaseExistsException.class, EtcdError.LEASE_EXISTS, () -> result(leases.grant(30, id)));
        result(leases.revoke(id));
    }

    @Test
    void grantBeyondTheMaximumTtlFails() {
        fails(LeaseTtlTooLargeException.class, EtcdError.LEASE_TTL_TOO_LARGE, () -> result(leases.grant(9_000_000_001L)));
    }

    @Test
    void timeToLiveReportsRemainingAndGrantedTtlAndKeys() {
        long id = result(leases.grant(60)).leaseId();
        kv.put(key("a"), "1", lease(id));
        kv.put(key("b"), "2", lease(id));

        LeaseTimeToLiveResponse withKeys = result(leases.timeToLive(id, true));
        assertThat(withKeys.leaseId()).isEqualTo(id);
        assertThat(withKeys.grantedTtl()).isEqualTo(60);
        assertThat(withKeys.ttl()).isBetween(1L, 60L);
        assertThat(withKeys.keys()).containsExactlyInAnyOrder(bkey("a"), bkey("b"));

        LeaseTimeToLiveResponse withoutKeys = result(leases.timeToLive(id, false));
        assertThat(withoutKeys.keys()).isEmpty();
        assertThat(withoutKeys.grantedTtl()).isEqualTo(60);
        result(leases.revoke(id));
    }

    @Test
    void timeToLiveOfAnUnknownLeaseIsMinusOne() {
        LeaseTimeToLiveResponse r = result(leases.timeToLive(0x7eadbeefL, true));
        assertThat(r.ttl()).isEqualTo(-1);
        assertThat(r.grantedTtl()).isZero();
        assertThat(r.keys()).isEmpty();
    }

    @Test
    void revokeDeletesTheKeysInOneRevision() {
        long id = result(leases.grant(60)).leaseId();
        kv.put(key("a"), "1", lease(id));
        long before = kv.put(key("b"), "2", lease(id)).header().revision();
        kv.put(key("plain"), "3");

        long revoked = result(leases.revoke(id)).header().revision();
        assertThat(revoked).isEqualTo(before + 2);
        await().atMost(Duration.ofSeconds(5)).until(() -> kv.get(key(""), prefix()).count() == 1);
        assertThat(kv.get(key("plain")).count()).isEqualTo(1);
        assertThat(result(leases.timeToLive(id, false)).ttl()).isEqualTo(-1);
    }

    @Test
    void revokingAnUnknownLeaseFails() {
        fails(LeaseNotFoundException.class, EtcdError.LEASE_NOT_FOUND, () -> result(leases.revoke(0x7eadbeefL)));
        long id = result(leases.grant(60)).leaseId();
        result(leases.revoke(id));
        fails(LeaseNotFoundException.class, EtcdError.LEASE_NOT_FOUND, () -> result(leases.revoke(id)));
    }

    @Test
    void keysVanishWhenTheLeaseExpires() {
        long id = result(leases.grant(MIN_TTL)).leaseId();
        kv.put(key("a"), "1", lease(id));
        kv.put(key("b"), "2", lease(id));
        assertThat(kv.get(key(""), prefix()).count()).isEqualTo(2);
        await().atMost(Duration.ofSeconds(15)).until(() -> kv.get(key(""), prefix()).count() == 0);
        assertThat(result(leases.timeToLive(id, false)).ttl()).isEqualTo(-1);
        assertThat(result(leases.leases()).leaseIds()).doesNotContain(id);
    }

    @Test
    void keepAliveOnceRenewsTheLease() {
        long id = result(leases.grant(20)).leaseId();
        LeaseKeepAliveResponse r = result(leases.keepAliveOnce(id));
        assertThat(r.leaseId()).isEqualTo(id);
        assertThat(r.ttl()).isEqualTo(20);
        assertThat(result(leases.timeToLive(id, false)).ttl()).isBetween(18L, 20L);
        result(leases.revoke(id));
    }

    @Test
    void keepAliveOnceOfAnUnknownOrExpiredLeaseFails() {
        fails(LeaseNotFoundException.class, EtcdError.LEASE_NOT_FOUND, () -> result(leases.keepAliveOnce(0x7eadbeefL)));

        long id = result(leases.grant(MIN_TTL)).leaseId();
        await().atMost(Duration.ofSeconds(15)).until(() -> result(leases.timeToLive(id, false)).ttl() == -1);
        fails(LeaseNotFoundException.class, EtcdError.LEASE_NOT_FOUND, () -> result(leases.keepAliveOnce(id)));
    }

    @Test
    void keepAliveKeepsAShortLeaseAliveForLong() {
        long id = result(leases.grant(MIN_TTL)).leaseId();
        kv.put(key("k"), "v", lease(id));
        HeardKeepAlive rec = new HeardKeepAlive();
        try (KeepAlive ka = leases.keepAlive(id, rec)) {
            assertThat(ka.leaseId()).isEqualTo(id);
            // Five TTLs: the key must be there at every check, not only at the end.
            await().during(Duration.ofSeconds(10)).atMost(Duration.ofSeconds(12))
                    .pollInterval(Duration.ofMillis(250))
                    .until(() -> kv.get(key("k")).count() == 1);
            assertThat(rec.renewals).hasSizeGreaterThanOrEqualTo(5);
            assertThat(rec.renewals).allSatisfy(r -> {
                assertThat(r.leaseId()).isEqualTo(id);
                assertThat(r.ttl()).isEqualTo(MIN_TTL);
            });
            assertThat(rec.terminals()).isZero();
        }
        rec.awaitClosedAsItsOnlyEnd();
        // Once no one renews it, the lease runs out by itself.
        await().atMost(Duration.ofSeconds(15)).until(() -> kv.get(key("k")).count() == 0);
    }

    @Test
    void keepAliveReportsExpiryWhenTheLeaseIsRevokedBehindItsBack() {
        long id = result(leases.grant(3)).leaseId();
        HeardKeepAlive rec = new HeardKeepAlive();
        KeepAlive ka = leases.keepAlive(id, rec);
        try {
            await().atMost(Duration.ofSeconds(5)).until(() -> !rec.renewals.isEmpty());
            result(leases.revoke(id));
            await().atMost(Duration.ofSeconds(10)).until(() -> rec.expired.get() == 1);
            assertThat(ka.terminated()).succeedsWithin(Duration.ofSeconds(5));
            assertThat(rec.expiredIds).containsExactly(id);
            assertThat(rec.terminals()).isEqualTo(1);
        } finally {
            ka.close();
        }
        // Closing after the end changes nothing: still exactly one terminal event.
        assertThat(rec.terminals()).isEqualTo(1);
    }

    @Test
    void keepAliveOfAnUnknownLeaseReportsExpiry() {
        HeardKeepAlive rec = new HeardKeepAlive();
        try (KeepAlive ka = leases.keepAlive(0x7eadbeefL, rec)) {
            await().atMost(Duration.ofSeconds(10)).until(() -> rec.expired.get() == 1);
            assertThat(ka.terminated()).succeedsWithin(Duration.ofSeconds(5));
            assertThat(rec.renewals).isEmpty();
        }
        assertThat(rec.terminals()).isEqualTo(1);
    }

    @Test
    void manyKeepAlivesShareOneClient() {
        int n = 20;
        List<Long> ids = new CopyOnWriteArrayList<>();
        List<KeepAlive> handles = new CopyOnWriteArrayList<>();
        List<HeardKeepAlive> recs = new CopyOnWriteArrayList<>();
        try {
            for (int i = 0; i < n; i++) {
                long id = result(leases.grant(MIN_TTL)).leaseId();
                ids.add(id);
                HeardKeepAlive rec = new HeardKeepAlive();
                recs.add(rec);
                handles.add(leases.keepAlive(id, rec));
            }
            await().atMost(Duration.ofSeconds(10)).until(() -> recs.stream().allMatch(r -> r.renewals.size() >= 2));
            for (long id : ids) {
                assertThat(result(leases.timeToLive(id, false)).ttl()).isPositive();
            }
        } finally {
            handles.forEach(KeepAlive::close);
        }
        await().atMost(Duration.ofSeconds(5)).until(() -> recs.stream().allMatch(r -> r.closed.get() == 1));
        for (long id : ids) {
            result(leases.revoke(id));
        }
    }

    @Test
    void closingTheClientEndsItsKeepAlivesWithOnClosed() {
        long id = result(leases.grant(30)).leaseId();
        HeardKeepAlive rec = new HeardKeepAlive();
        try (var other = newClient(endpoints())) {
            other.lease().keepAlive(id, rec);
            await().atMost(Duration.ofSeconds(5)).until(() -> !rec.renewals.isEmpty());
        }
        rec.awaitClosedAsItsOnlyEnd();
        result(leases.revoke(id));
    }

    @Test
    void expiredKeysVanishTogetherInOneWatchResponse() {
        long id = result(leases.grant(MIN_TTL)).leaseId();
        kv.put(key("a"), "1", lease(id));
        long last = kv.put(key("b"), "2", lease(id)).header().revision();
        List<WatchResponse> seen = new CopyOnWriteArrayList<>();
        try (Watcher w = client.watch().watch(Bytes.of(key("")), new WatchListener() {
            @Override
            public void onNext(WatchResponse response) {
                seen.add(response);
            }
        }, prefix(), revision(last + 1))) {
            await().atMost(Duration.ofSeconds(15)).until(() -> seen.stream().mapToInt(r -> r.events().size()).sum() >= 2);
            assertThat(seen).hasSize(1);
            assertThat(seen.get(0).events()).extracting(WatchEvent::type).containsOnly(WatchEvent.Type.DELETE);
            assertThat(seen.get(0).events()).extracting(e -> e.kv().modRevision()).containsOnly(last + 1);
        }
    }

    @Test
    void severalKeepAlivesOfOneLeaseShareTheRenewalsAndEndOneByOne() {
        long id = result(leases.grant(MIN_TTL)).leaseId();
        HeardKeepAlive a = new HeardKeepAlive();
        HeardKeepAlive b = new HeardKeepAlive();
        try (EtcdClient other = newClient(endpoints())) {
            KeepAlive ka = other.lease().keepAlive(id, a);
            other.lease().keepAlive(id, b);
            await().atMost(Duration.ofSeconds(20)).until(() -> a.renewals.size() >= 3 && b.renewals.size() >= 3);
            ka.close();
            await().atMost(Duration.ofSeconds(5)).until(() -> a.closed.get() == 1);
            b.awaitMoreRenewals(3, Duration.ofSeconds(20)); // the other one goes on
        }
        // Closing the client ends the rest; a keep-alive asked of a closed client ends at once, not silently.
        b.awaitClosedAsItsOnlyEnd();
        assertThat(a.terminals()).isEqualTo(1);
        EtcdClient closed = newClient(endpoints());
        closed.close();
        HeardKeepAlive late = new HeardKeepAlive();
        closed.lease().keepAlive(id, late);
        late.awaitClosedAsItsOnlyEnd();
        result(leases.revoke(id));
    }

    // ---- faults: a keep-alive outlives them and never ends without saying why

    @Test
    void keepAliveSurvivesAKilledAndRestartedServer() {
        long id = result(leases.grant(5)).leaseId();
        kv.put(key("k"), "v", lease(id));
        HeardKeepAlive rec = new HeardKeepAlive();
        try (KeepAlive ka = leases.keepAlive(id, rec)) {
            await().atMost(Duration.ofSeconds(5)).until(() -> !rec.renewals.isEmpty());
            target().kill();
            target().start();
            rec.awaitMoreRenewals(3, Duration.ofSeconds(30));
            assertThat(result(leases.timeToLive(id, false)).ttl()).isPositive();
            assertThat(kv.get(key("k")).count()).isEqualTo(1);
        }
        rec.awaitClosedAsItsOnlyEnd();
        result(leases.revoke(id));
    }

    @Test
    void keepAliveSurvivesDroppedConnections() {
        long id = result(leases.grant(3)).leaseId();
        HeardKeepAlive rec = new HeardKeepAlive();
        try (ProxiedKeepAlive ka = keepAliveThroughProxy(id, rec)) {
            for (int i = 0; i < 3; i++) {
                ka.proxy().dropConnections();
                rec.awaitMoreRenewals(1, Duration.ofSeconds(10));
            }
            assertThat(result(leases.timeToLive(id, false)).ttl()).isPositive();
            assertThat(ka.keepAlive().terminated()).isNotDone();
        }
        rec.awaitClosedAsItsOnlyEnd();
        result(leases.revoke(id));
    }

    @Test
    void keepAliveThatCannotRenewBeforeTheDeadlineEndsWithError() {
        // 5 s, not less: on a loaded machine opening the stream through the proxy on a fresh
        // connection can take seconds, and a lease that expires first never gets its renewal.
        long id = result(leases.grant(5)).leaseId();
        HeardKeepAlive rec = new HeardKeepAlive();
        try (ProxiedKeepAlive ka = keepAliveThroughProxy(id, rec)) {
            ka.proxy().blackhole(true); // a partition: nothing arrives, nothing fails fast
            await().atMost(Duration.ofSeconds(20)).until(() -> ka.keepAlive().terminated().isDone());
            assertThat(rec.errors).singleElement()
                    .satisfies(e -> assertThat(e.getMessage()).contains("could not be renewed"));
            assertThat(rec.terminals()).isEqualTo(1);
            ka.proxy().blackhole(false);
        }
    }

    /** A keep-alive on a client of its own whose connection to the server runs through a proxy the test can break. */
    private record ProxiedKeepAlive(FaultProxy proxy, EtcdClient client, KeepAlive keepAlive) implements AutoCloseable {
        @Override
        public void close() {
            try (proxy; client) {
                keepAlive.close();
            }
        }
    }

    /**
     * Starts a keep-alive of {@code id} through a fault proxy and returns once it has been renewed
     * (up to 20 s: opening the stream through the proxy on a fresh connection can take seconds on
     * a loaded machine).
     */
    private ProxiedKeepAlive keepAliveThroughProxy(long id, HeardKeepAlive rec) {
        FaultProxy proxy = FaultProxy.start(endpoints().get(0));
        EtcdClient client = newClient(List.of(proxy.endpoint()));
        ProxiedKeepAlive ka = new ProxiedKeepAlive(proxy, client, client.lease().keepAlive(id, rec));
        try {
            await().atMost(Duration.ofSeconds(20)).until(() -> !rec.renewals.isEmpty());
            return ka;
        } catch (RuntimeException | Error e) {
            ka.close();
            throw e;
        }
    }

    @Test
    void aKeepAliveThatRunsOutWhileTheServerIsDownSaysTheConnectionWasRefused() {
        try (EtcdClient c = newClient(endpoints())) {
            long id = result(c.lease().grant(3)).leaseId();
            HeardKeepAlive rec = new HeardKeepAlive();
            c.lease().keepAlive(id, rec);
            await().atMost(Duration.ofSeconds(20)).until(() -> !rec.renewals.isEmpty());
            String endpoint = endpoints().get(0);
            target().kill();
            try {
                await().atMost(Duration.ofSeconds(20)).until(() -> !rec.errors.isEmpty());
                assertThat(rec.errors.get(0).getMessage())
                        .startsWith("etcdj: lease " + id + " could not be renewed before its deadline: "
                                + "etcdj: could not connect to [" + endpoint + "]: ")
                        .contains("refused the connection");
                assertThat(rec.terminals()).isEqualTo(1);
            } finally {
                target().start();
            }
        }
    }

    private static <T extends EtcdException> void fails(Class<T> type, EtcdError error, ThrowingCallable call) {
        Throwable t = catchThrowable(call);
        assertThat(t).as("expected %s", error).isInstanceOf(type);
        assertThat(((EtcdException) t).error()).isEqualTo(error);
        assertThat(((EtcdException) t).code()).isEqualTo(error.code());
    }
}
