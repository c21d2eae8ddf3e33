package dev.etcdj.recipes;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.etcdj.client.Futures;
import dev.etcdj.client.KeyValue;
import dev.etcdj.client.Options;
import dev.etcdj.testing.Await;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Go's experimental recipes: barrier, double barrier, queue, priority queue, readers-writer lock,
 * with Go's key layout so Java and Go processes share them. Run against real etcd and our server.
 */
abstract class QueueBarrierContract extends RecipeContract {

    private static final Duration WAIT = Duration.ofSeconds(20);

    private static <T> T join(CompletableFuture<T> f) throws Exception {
        return f.get(WAIT.toSeconds(), TimeUnit.SECONDS);
    }

    private List<KeyValue> under(String prefix) {
        return client.kv().get(prefix, Options.prefix()).join().kvs();
    }

    @Test
    void barrierHoldsWaitersUntilReleased() throws Exception {
        Barrier coordinator = new Barrier(client, "barrier-a/key");
        Barrier worker = new Barrier(other, "barrier-a/key");
        join(worker.await()); // a barrier that is down lets everyone through

        join(coordinator.hold());
        assertThatThrownBy(() -> Futures.await(worker.hold())).isInstanceOf(KeyExistsException.class);
        CompletableFuture<Void> waiting = worker.await();
        // Let a write to another key pass: the barrier must stay up through unrelated traffic.
        client.kv().put("barrier-a/key-other", "x").join();
        client.kv().put("barrier-a/key", "rewritten").join();
        assertThat(waiting).isNotDone();

        join(coordinator.release());
        join(waiting);
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
            join(parties.get(2).enter());
            join(e0);
            join(e1);
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
            join(parties.get(2).leave());
            join(l0);
            join(l1);
            assertThat(under("dbarrier-a/")).isEmpty();
        } finally {
            sessions.forEach(Session::close);
        }
    }

    @Test
    void queueIsFifoAndWaitsWhenEmpty() throws Exception {
        Queue producer = new Queue(client, "queue-a");
        Queue consumer = new Queue(other, "queue-a");
        join(producer.enqueue("one"));
        join(producer.enqueue("two"));
        join(producer.enqueue("three"));
        assertThat(under("queue-a/")).allSatisfy(kv ->
                assertThat(kv.key().toStringUtf8()).matches("queue-a/\\d{19}"));
        assertThat(join(consumer.dequeueString())).isEqualTo("one");
        assertThat(join(consumer.dequeueString())).isEqualTo("two");
        assertThat(join(consumer.dequeueString())).isEqualTo("three");

        CompletableFuture<String> waiting = consumer.dequeueString();
        client.kv().put("queue-b/not-ours", "x").join();
        assertThat(waiting).isNotDone();
        join(producer.enqueue("four"));
        assertThat(join(waiting)).isEqualTo("four");
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
            join((i % 2 == 0 ? q2 : q1).enqueue("e" + i));
        }
        for (CompletableFuture<String> t : takes) {
            assertThat(taken.add(join(t))).as("taken twice").isTrue();
        }
        assertThat(taken).hasSize(elements);
        assertThat(under("queue-c/")).isEmpty();
    }

    @Test
    void priorityQueueServesLowestNumberFirstThenArrivalOrder() throws Exception {
        PriorityQueue q = new PriorityQueue(client, "pq-a");
        join(q.enqueue("x", 5));
        join(q.enqueue("y", 1));
        join(q.enqueue("z", 5));
        join(q.enqueue("w", 0));
        assertThat(under("pq-a/")).extracting(kv -> kv.key().toStringUtf8()).containsExactly(
                "pq-a/00000/0000000000000000", "pq-a/00001/0000000000000000",
                "pq-a/00005/0000000000000000", "pq-a/00005/0000000000000001");
        PriorityQueue consumer = new PriorityQueue(other, "pq-a");
        List<String> order = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            order.add(join(consumer.dequeueString()));
        }
        assertThat(order).containsExactly("w", "y", "x", "z");
        assertThatThrownBy(() -> q.enqueue("bad", 65536)).isInstanceOf(IllegalArgumentException.class);

        CompletableFuture<String> waiting = consumer.dequeueString();
        join(q.enqueue("later", 7));
        assertThat(join(waiting)).isEqualTo("later");
    }

    @Test
    void readersShareWritersExclude() throws Exception {
        try (Session s1 = Session.create(client, 10); Session s2 = Session.create(other, 10);
             Session s3 = Session.create(client, 10); Session s4 = Session.create(other, 10)) {
            RWMutex r1 = new RWMutex(s1, "rw-a");
            RWMutex r2 = new RWMutex(s2, "rw-a");
            join(r1.readLock());
            join(r2.readLock()); // readers share

            RWMutex writer = new RWMutex(s3, "rw-a");
            CompletableFuture<Void> w = writer.writeLock();
            Await.until(WAIT, "the writer queued", () -> under("rw-a/write/").size() == 1);
            RWMutex lateReader = new RWMutex(s4, "rw-a");
            CompletableFuture<Void> r3 = lateReader.readLock(); // queued behind the writer
            Await.until(WAIT, "all readers queued", () -> under("rw-a/read/").size() == 3);
            assertThat(w).isNotDone();

            join(r1.readUnlock());
            assertThat(w).isNotDone();
            join(r2.readUnlock());
            join(w);
            assertThat(r3).isNotDone();
            join(writer.writeUnlock());
            join(r3);
            join(lateReader.readUnlock());
            assertThat(under("rw-a/")).isEmpty();
        }
    }

    @Test
    void aReadLockHeldByADeadSessionPassesOnWhenItsLeaseEnds() throws Exception {
        Session dying = Session.create(client, 10);
        try (Session s2 = Session.create(other, 10)) {
            join(new RWMutex(dying, "rw-b").readLock());
            CompletableFuture<Void> w = new RWMutex(s2, "rw-b").writeLock();
            Await.until(WAIT, "the writer queued behind the dead reader", () -> under("rw-b/write/").size() == 1);
            assertThat(w).isNotDone();
            dying.close(); // revokes the lease: its read key goes with it
            join(w);
        }
    }
}
