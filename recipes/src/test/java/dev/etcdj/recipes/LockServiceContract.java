package dev.etcdj.recipes;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.etcdj.client.Bytes;
import dev.etcdj.client.EtcdClient;
import dev.etcdj.client.EtcdTimeoutException;
import dev.etcdj.client.KeyValue;
import dev.etcdj.client.LeaseNotFoundException;
import dev.etcdj.client.LockResponse;
import dev.etcdj.client.ResponseHeader;
import dev.etcdj.testing.Await;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.Test;

/**
 * etcd's lock service through {@code client.lock()}: the key layout it shares with Go's mutex and
 * the recipes' {@link Mutex}, waiting, release by unlock, by lease end and by giving up, and the
 * errors etcd answers with. Run against real etcd (the oracle) and against our server.
 */
abstract class LockServiceContract extends RecipeContract {

    @Test
    void theLockIsAKeyUnderTheNameOnTheLeaseAndUnlockDeletesIt() throws Exception {
        long lease = grant(client);
        LockResponse held = await(client.lock().lock("lsvc-basic", lease));
        assertThat(held.key().toStringUtf8()).isEqualTo("lsvc-basic/" + Long.toHexString(lease));
        KeyValue kv = client.kv().get(held.key()).join().kvs().get(0);
        assertThat(kv.lease()).isEqualTo(lease);
        assertThat(kv.value()).isEqualTo(Bytes.EMPTY);
        assertThat(held.header().revision()).isEqualTo(kv.createRevision());

        ResponseHeader unlocked = client.lock().unlock(held.key()).join();
        assertThat(unlocked.revision()).isEqualTo(kv.createRevision() + 1);
        assertThat(keysUnder("lsvc-basic/")).isZero();
    }

    @Test
    void aSecondLockerWaitsForTheUnlock() throws Exception {
        LockResponse first = await(client.lock().lock("lsvc-wait", grant(client)));
        long otherLease = grant(other);
        CompletableFuture<LockResponse> second = other.lock().lock("lsvc-wait", otherLease);
        // Queued: its key is there, behind ours.
        Await.until(WAIT, "the second locker's key", () -> keysUnder("lsvc-wait/") == 2);
        assertThat(second).isNotDone();
        client.lock().unlock(first.key()).join();
        assertThat(await(second).key().toStringUtf8()).isEqualTo("lsvc-wait/" + Long.toHexString(otherLease));
    }

    @Test
    void theHoldersLeaseEndingHandsTheLockOn() throws Exception {
        long lease = grant(client);
        await(client.lock().lock("lsvc-revoke", lease));
        CompletableFuture<LockResponse> second = other.lock().lock("lsvc-revoke", grant(other));
        Await.until(WAIT, "the second locker's key", () -> keysUnder("lsvc-revoke/") == 2);
        client.lease().revoke(lease).join();
        await(second);
        assertThat(keysUnder("lsvc-revoke/")).isEqualTo(1);
    }

    @Test
    void theServiceAndTheMutexRecipeExcludeEachOther() throws Exception {
        try (Session session = Session.create(other, 30)) {
            Mutex mutex = new Mutex(session, "lsvc-shared");
            await(mutex.lock());

            CompletableFuture<LockResponse> service = client.lock().lock("lsvc-shared", grant(client));
            Await.until(WAIT, "the service's key behind the mutex", () -> keysUnder("lsvc-shared/") == 2);
            assertThat(service).isNotDone();
            mutex.unlock().join();
            LockResponse held = await(service);

            CompletableFuture<Void> recipe = mutex.lock();
            Await.until(WAIT, "the mutex's key behind the service", () -> keysUnder("lsvc-shared/") == 2);
            assertThat(recipe).isNotDone();
            client.lock().unlock(held.key()).join();
            await(recipe);
            mutex.unlock().join();
        }
    }

    @Test
    void unlockingAKeyNotHeldIsNoError() {
        // etcd's Unlock is a plain delete: nothing held, nothing to refuse.
        long before = client.kv().put("lsvc-other", "x").join().header().revision();
        ResponseHeader h = client.lock().unlock(Bytes.of("lsvc-none/694d7d1c3d0a2b01")).join();
        assertThat(h.revision()).isEqualTo(before);
    }

    @Test
    void lockingOnARevokedLeaseFailsWithLeaseNotFound() {
        long lease = grant(client);
        client.lease().revoke(lease).join();
        assertThatThrownBy(() -> client.lock().lock("lsvc-dead", lease).join())
                .isInstanceOf(CompletionException.class)
                .cause().isInstanceOf(LeaseNotFoundException.class)
                .hasMessage("etcdserver: requested lease not found");
        assertThat(keysUnder("lsvc-dead/")).isZero();
    }

    @Test
    void givingUpAWaitWithdrawsTheWaitersKey() throws Exception {
        LockResponse first = await(client.lock().lock("lsvc-cancel", grant(client)));
        CompletableFuture<LockResponse> waiting = other.lock().lock("lsvc-cancel", grant(other));
        Await.until(WAIT, "the waiter's key", () -> keysUnder("lsvc-cancel/") == 2);
        waiting.cancel(true);
        Await.until(WAIT, "the waiter's key withdrawn", () -> keysUnder("lsvc-cancel/") == 1);
        client.lock().unlock(first.key()).join();
    }

    @Test
    void aTimeoutViewEndsTheWaitWithATimeout() throws Exception {
        await(client.lock().lock("lsvc-timeout", grant(client)));
        assertThatThrownBy(() -> other.lock().withTimeout(Duration.ofMillis(500))
                .lock("lsvc-timeout", grant(other)).join())
                .cause().isInstanceOf(EtcdTimeoutException.class);
        Await.until(WAIT, "the timed-out waiter's key withdrawn", () -> keysUnder("lsvc-timeout/") == 1);
    }

    @Test
    void aNamespacedClientLocksUnderItsPrefix() throws Exception {
        EtcdClient ns = Namespace.client(client, "lsvc-ns/");
        long lease = grant(client);
        LockResponse held = await(ns.lock().lock("job", lease));
        assertThat(held.key().toStringUtf8()).isEqualTo("job/" + Long.toHexString(lease));
        assertThat(keysUnder("lsvc-ns/job/")).isEqualTo(1);
        ns.lock().unlock(held.key()).join();
        assertThat(keysUnder("lsvc-ns/job/")).isZero();
    }

    @Test
    void theBlockingViewLocksAndUnlocks() {
        long lease = grant(client);
        LockResponse held = client.lock().blocking().lock("lsvc-blocking", lease);
        assertThat(keysUnder("lsvc-blocking/")).isEqualTo(1);
        client.lock().blocking().unlock(held.key());
        assertThat(keysUnder("lsvc-blocking/")).isZero();
    }
}
