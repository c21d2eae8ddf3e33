package dev.etcdj.recipes;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.etcdj.client.Futures;
import dev.etcdj.client.KeyValue;
import dev.etcdj.client.Options;
import dev.etcdj.testing.Await;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.Test;

/**
 * Go's experimental recipes: barrier, double barrier, queue, priority queue, readers-writer lock,
 * with Go's key layout so Java and Go processes share them. Run against real etcd and our server.
 */
abstract class QueueBarrierContract extends RecipeContract {

    private List<KeyValue> under(String prefix) {
        return client.kv().get(prefix, Options.prefix()).join().kvs();
    }

    @Test
    void barrierHoldsWaitersUntilReleased() throws Exception {
        Barrier coordinator = new Barrier(client, "barrier-a/key");
        Barrier worker = new Barrier(other, "barrier-a/key");
        await(worker.await()); // a barrier that is down lets everyone through

        await(coordinator.hold());
        assertThatThrownBy(() -> Futures.await(worker.hold())).isInstanceOf(KeyExistsException.class);
        CompletableFuture<Void> waiting = worker.await();
        // Let a write to another key pass: the barrier must stay up through unrelated traffic.
        client.kv().put("barrier-a/key-other", "x").join();
        client.kv().put("barrier-a/key", "rewritten").join();
        assertThat(waiting).isNotDone();

        await(coordinator.release());
        await(waiting);
        assertThat(under("barrier-a/key")).extracting(kv -> kv.key().toStringUtf8()).containsExactly("barrier-a/key-other");
    }

    @Test
    void doubleBarrierLetsEveryoneInOnlyWhenAllEnteredAndOutWhenAllLeft() throws Exception {
        List<Session> sessions = new ArrayList<>();
        try {
            List<DoubleBarrier> parties = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                Session s = Session.create(i % 2 == 0 ? client : other, 10);
                sessions.add(s);
                parties.add(new DoubleBarrier(s, "dbarrier-a", 3));
            }
            CompletableFuture<Void> e0 = parties.get(0).enter();
            CompletableFuture<Void> e1 = parties.get(1).enter();
            Await.until(WAIT, "two participants entered", () -> under("dbarrier-a/waiters/").size() == 2);
            assertThat(e0).isNotDone();
            assertThat(e1).isNotDone();
            await(parties.get(2).enter());
            await(e0);
            await(e1);
            // Keys follow Go's layout: <key>/waiters/<unix nanos> and <key>/ready.
            assertThat(under("dbarrier-a/waiters/")).allSatisfy(kv ->
                    assertThat(kv.key().toStringUtf8()).matches("dbarrier-a/waiters/\\d{19}"));
            assertThat(under("dbarrier-a/ready")).hasSize(1);

            Session late = Session.create(client, 10);
            sessions.add(late);
            assertThatThrownBy(() -> Futures.await(new DoubleBarrier(late, "dbarrier-a", 3).enter()))
                    .isInstanceOf(TooManyClientsException.class);

            CompletableFuture<Void> l0 = parties.get(0).leave();
            CompletableFuture<Void> l1 = parties.get(1).leave();
            Await.until(WAIT, "two participants left", () -> under("dbarrier-a/waiters/").size() <= 2);
            assertThat(l0.isDone() && l1.isDone()).isFalse();
            await(parties.get(2).leave());
            await(l0);
            await(l1);
            assertThat(under("dbarrier-a/")).isEmpty();
        } finally {
            sessions.forEach(Session::close);
        }
    }

    @Test
    void queueIsFifoAndWaitsWhenEmpty() throws Exception {
        Queue producer = new Queue(client, "queue-a");
        Queue consumer = new Queue(other, "queue-a");
        await(producer.enqueue("one"));
        await(producer.enqueue("two"));
        await(producer.enqueue("three"));
        assertThat(under("queue-a/")).allSatisfy(kv ->
                assertThat(kv.key().toStringUtf8()).matches("queue-a/\\d{19}"));
        assertThat(await(consumer.dequeueString())).isEqualTo("one");
        assertThat(await(consumer.dequeueString())).isEqualTo("two");
        assertThat(await(consumer.dequeueString())).isEqualTo("three");

        CompletableFuture<String> waiting = consumer.dequeueString();
        client.kv().put("queue-b/not-ours", "x").join();
        assertThat(waiting).isNotDone();
        await(producer.enqueue("four"));
        assertThat(await(waiting)).isEqualTo("four");
        assertThat(under("queue-a/")).isEmpty();
    }

    @Test
    void concurrentConsumersTakeEachElementExactlyOnce() throws Exception {
        int elements = 30;
        Queue q1 = new Queue(client, "queue-c");
        Queue q2 = new Queue(other, "queue-c");
        Set<String> taken = ConcurrentHashMap.newKeySet();
        List<CompletableFuture<String>> takes = new ArrayList<>();
        for (int i = 0; i < elements; i++) {
            takes.add((i % 2 == 0 ? q1 : q2).dequeueString());
        }
        for (int i = 0; i < elements; i++) {
            await((i % 2 == 0 ? q2 : q1).enqueue("e" + i));
        }
        for (CompletableFuture<String> t : takes) {
            assertThat(taken.add(await(t))).as("taken twice").isTrue();
        }
        assertThat(taken).hasSize(elements);
        assertThat(under("queue-c/")).isEmpty();
    }

    @Test
    void priorityQueueServesLowestNumberFirstThenArrivalOrder() throws Exception {
        PriorityQueue q = new PriorityQueue(client, "pq-a");
        await(q.enqueue("x", 5));
        await(q.enqueue("y", 1));
        await(q.enqueue("z", 5));
        await(q.enqueue("w", 0));
        assertThat(under("pq-a/")).extracting(kv -> kv.key().toStringUtf8()).containsExactly(
                "pq-a/00000/0000000000000000", "pq-a/00001/0000000000000000",
                "pq-a/00005/0000000000000000", "pq-a/00005/0000000000000001");
        PriorityQueue consumer = new PriorityQueue(other, "pq-a");
        List<String> order = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            order.add(await(consumer.dequeueString()));
        }
        assertThat(order).containsExactly("w", "y", "x", "z");
        assertThatThrownBy(() -> q.enqueue("bad", 65536)).isInstanceOf(IllegalArgumentException.class);

        CompletableFuture<String> waiting = consumer.dequeueString();
        await(q.enqueue("later", 7));
        assertThat(await(waiting)).isEqualTo("later");
    }

    @Test
    void readersShareWritersExclude() throws Exception {
        try (Session s1 = Session.create(client, 10); Session s2 = Session.create(other, 10);
             Session s3 = Session.create(client, 10); Session s4 = Session.create(other, 10)) {
            RWMutex r1 = new RWMutex(s1, "rw-a");
            RWMutex r2 = new RWMutex(s2, "rw-a");
            await(r1.readLock());
            await(r2.readLock()); // readers share

            RWMutex writer = new RWMutex(s3, "rw-a");
            CompletableFuture<Void> w = writer.writeLock();
            Await.until(WAIT, "the writer queued", () -> under("rw-a/write/").size() == 1);
            RWMutex lateReader = new RWMutex(s4, "rw-a");
            CompletableFuture<Void> r3 = lateReader.readLock(); // queued behind the writer
            Await.until(WAIT, "all readers queued", () -> under("rw-a/read/").size() == 3);
            assertThat(w).isNotDone();

            await(r1.readUnlock());
            assertThat(w).isNotDone();
            await(r2.readUnlock());
            await(w);
            assertThat(r3).isNotDone();
            await(writer.writeUnlock());
            await(r3);
            await(lateReader.readUnlock());
            assertThat(under("rw-a/")).isEmpty();
        }
    }

    @Test
    void aReadLockHeldByADeadSessionPassesOnWhenItsLeaseEnds() throws Exception {
        Session dying = Session.create(client, 10);
        try (Session s2 = Session.create(other, 10)) {
            await(new RWMutex(dying, "rw-b").readLock());
            CompletableFuture<Void> w = new RWMutex(s2, "rw-b").writeLock();
            Await.until(WAIT, "the writer queued behind the dead reader", () -> under("rw-b/write/").size() == 1);
            assertThat(w).isNotDone();
            dying.close(); // revokes the lease: its read key goes with it
            await(w);
        }
    }
}
