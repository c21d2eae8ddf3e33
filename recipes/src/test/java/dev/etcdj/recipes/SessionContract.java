package dev.etcdj.recipes;

import static org.assertj.core.api.Assertions.assertThat;

import dev.etcdj.client.Options;
import dev.etcdj.testing.Await;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Sessions: the lease is kept alive, revoked on close, orphaned on request, watched for revocation.
 * Run against real etcd (the oracle) and against our server, by the two subclasses.
 */
abstract class SessionContract extends RecipeContract {

    @Test
    void keepsItsLeaseAliveBeyondTheTtl() {
        try (Session session = Session.create(client, 2)) {
            long start = System.nanoTime();
            // Without renewals a 2 s lease is gone after 2 s; watch it stay for three TTLs.
            Await.until(Duration.ofSeconds(15), "three TTLs pass with the lease alive", () -> {
                assertThat(client.lease().timeToLive(session.leaseId(), false).join().ttl()).isPositive();
                return System.nanoTime() - start > TimeUnit.SECONDS.toNanos(6);
            });
            assertThat(session.isAlive()).isTrue();
        }
    }

    @Test
    void closeRevokesTheLeaseAndItsKeys() {
        Session session = Session.create(client);
        assertThat(session.ttl()).isEqualTo(Session.DEFAULT_TTL_SECONDS);
        client.kv().put("session-close/k", "v", Options.lease(session.leaseId())).join();
        session.close();
        assertThat(client.kv().get("session-close/k").join().kvs()).isEmpty();
        assertThat(session.done().join()).isEqualTo(Session.End.CLOSED);
        assertThat(client.lease().timeToLive(session.leaseId(), false).join().ttl()).isEqualTo(-1);
        session.close(); // a second close finds no lease and is no error
    }

    @Test
    void doneCompletesWhenTheLeaseIsRevokedBehindItsBack() throws Exception {
        try (Session session = Session.create(client, 3)) {
            client.lease().revoke(session.leaseId()).join();
            // The next renewal (a third of the TTL) learns the lease is gone.
            assertThat(session.done().get(10, TimeUnit.SECONDS)).isEqualTo(Session.End.EXPIRED);
            assertThat(session.isAlive()).isFalse();
        }
    }

    @Test
    void orphanStopsRenewingButKeepsTheLease() {
        Session session = Session.create(client, 30);
        session.orphan();
        assertThat(session.done().join()).isEqualTo(Session.End.CLOSED);
        assertThat(client.lease().timeToLive(session.leaseId(), false).join().ttl()).isPositive();
        client.lease().revoke(session.leaseId()).join();
    }
}
