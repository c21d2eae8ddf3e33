package dev.etcdj.recipes;

import static dev.etcdj.client.Options.countOnly;
import static dev.etcdj.client.Options.prefix;
import static dev.etcdj.client.Options.revision;
import static dev.etcdj.recipes.GoRecipes.STEP;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.etcdj.client.Cmp;
import dev.etcdj.client.KeyValue;
import dev.etcdj.client.KvClient;
import dev.etcdj.client.Op;
import dev.etcdj.testing.Await;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Our recipes and etcd's own Go recipes (clientv3/concurrency, clientv3/leasing, clientv3/namespace,
 * contrib/recipes, run as separate {@link GoRecipes} processes) on the same keys: each side must honour
 * the other's locks, elections, leases, namespaces, queues and barriers, in both directions where both
 * can play each part.
 * Run against real etcd and against our server by the two subclasses.
 */
abstract class GoInteropContract extends RecipeContract {

    @BeforeAll
    static void buildGoProgram() {
        GoRecipes.binary();
    }

    private GoRecipes go(String role, String... args) {
        return GoRecipes.start(target(), role, args);
    }

    /** Waits until {@code n} keys live under the prefix: a waiter queued, a participant entered or left. */
    private void awaitKeys(String keyPrefix, long n, String what) {
        Await.until(STEP, what, () -> keysUnder(keyPrefix) == n);
    }

    private static <T> T get(CompletableFuture<T> future) throws Exception {
        try {
            return future.get(STEP.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            throw e.getCause() instanceof Exception cause ? cause : e;
        }
    }

    private static String poll(BlockingQueue<String> queue) throws InterruptedException {
        return queue.poll(STEP.toMillis(), TimeUnit.MILLISECONDS);
    }

    /**
     * Our call {@code ours} waits while Go holds: {@code n} keys under {@code keyPrefix} (ours queued)
     * and ours not done; once Go is cued to let go ({@code cue}, answered by {@code answer}) ours completes.
     */
    private void waitsForGo(CompletableFuture<Void> ours, String keyPrefix, long n, String what, GoRecipes go, String cue,
            String answer) throws Exception {
        awaitKeys(keyPrefix, n, what);
        assertThat(ours).as(what).isNotDone();
        go.ask(cue, answer);
        get(ours);
    }

    /** Whether the key was absent at that revision: who held what when a lock changed hands. */
    private boolean absentAt(String key, long rev) {
        return client.kv().get(key, revision(rev)).join().kvs().isEmpty();
    }

    // ---- concurrency.Mutex ----

    @Test
    void ourMutexWaitsUntilGoReleasesIt() throws Exception {
        String lock = "go-interop/mutex-go-first";
        try (GoRecipes holder = go("lock", lock); Session session = Session.create(client, 10)) {
            String goLease = holder.expect("session");
            String goKey = holder.expect("acquired").split(" ")[0];
            assertThat(goKey).isEqualTo(lock + "/" + goLease);

            try (Session third = Session.create(other, 10)) {
                assertThat(get(new Mutex(third, lock).tryLock())).as("Go holds it").isFalse();
            }
            assertThat(keysUnder(lock + "/")).isEqualTo(1);

            Mutex mine = new Mutex(session, lock);
            CompletableFuture<Void> waiting = mine.lock();
            waitsForGo(waiting, lock + "/", 2, "our key queued behind Go's", holder, "release", "released");
            long granted = mine.header().revision();
            assertThat(absentAt(goKey, granted)).as("Go's key gone when ours was granted").isTrue();
            assertThat(client.kv().txn().when(mine.isOwner()).then(Op.put(lock + "-guarded", "java"))
                    .commit().join().succeeded()).isTrue();
            get(mine.unlock());
        }
    }

    @Test
    void goMutexWaitsUntilWeReleaseIt() throws Exception {
        String lock = "go-interop/mutex-java-first";
        try (Session session = Session.create(client, 10)) {
            Mutex mine = new Mutex(session, lock);
            get(mine.lock());
            try (GoRecipes waiter = go("lock", lock)) {
                String goLease = waiter.expect("session");
                awaitKeys(lock + "/", 2, "Go's key queued behind ours");
                assertThat(waiter.pending()).as("Go holds nothing while we do").isEmpty();
                assertThat(client.kv().txn().when(mine.isOwner()).then(Op.put(lock + "-guarded", "java"))
                        .commit().join().succeeded()).isTrue();
                String ourKey = mine.key().toStringUtf8();

                get(mine.unlock());
                String[] acquired = waiter.expect("acquired").split(" ");
                assertThat(acquired[0]).isEqualTo(lock + "/" + goLease);
                assertThat(absentAt(ourKey, Long.parseLong(acquired[1]))).as("our key gone when Go's was granted")
                        .isTrue();
                waiter.ask("release", "released");
            }
        }
        assertThat(keysUnder(lock + "/")).isZero();
    }

    @Test
    void theEndOfTheHoldersSessionPassesTheLockEitherWay() throws Exception {
        String lock = "go-interop/mutex-session-end";
        try (GoRecipes goHolder = go("lock", lock); Session session = Session.create(client, 10)) {
            long goLease = Long.parseLong(goHolder.expect("session"), 16);
            goHolder.expect("acquired");
            Mutex mine = new Mutex(session, lock);
            CompletableFuture<Void> waiting = mine.lock();
            awaitKeys(lock + "/", 2, "our key queued behind Go's");
            get(other.lease().revoke(goLease));
            get(waiting);

            try (GoRecipes goWaiter = go("lock", lock)) {
                goWaiter.expect("session");
                awaitKeys(lock + "/", 2, "Go's key queued behind ours");
                get(other.lease().revoke(session.leaseId()));
                goWaiter.expect("acquired");
                goWaiter.ask("release", "released");
            }
        }
        assertThat(keysUnder(lock + "/")).isZero();
    }

    // ---- concurrency.STM ----

    @Test
    void stmTransactionsOfGoAndOursNeverLoseAnUpdate() throws Exception {
        String counter = "go-interop/stm-counter";
        int each = 50;
        try (GoRecipes goStm = go("stm-increment", counter, Integer.toString(each))) {
            for (int i = 0; i < each; i++) {
                Stm.run(client, tx -> {
                    String v = tx.get(counter);
                    tx.put(counter, Integer.toString((v.isEmpty() ? 0 : Integer.parseInt(v)) + 1));
                });
            }
            goStm.expect("incremented");
            goStm.awaitSuccess();
        }
        assertThat(client.kv().get(counter).join().kvs().get(0).value().toStringUtf8())
                .isEqualTo(Integer.toString(2 * each));
    }

    // ---- concurrency.Election ----

    @Test
    void electionLeadershipPassesBetweenGoAndUs() throws Exception {
        String name = "go-interop/election";
        BlockingQueue<String> weSee = new LinkedBlockingQueue<>();
        try (GoRecipes goObserver = go("observe", name);
             GoRecipes goLeader = go("campaign", name, "go-first");
             Session session = Session.create(client, 10);
             Election.Observation ours = Election.observe(other, name, kv -> weSee.add(kv.value().toStringUtf8()))) {
            goObserver.expect("observing");
            goLeader.expect("session");
            goLeader.expect("leader");
            assertThat(poll(weSee)).isEqualTo("go-first");
            assertThat(goObserver.expect("leader")).isEqualTo("go-first");
            assertThat(get(Election.leader(client, name)).map(KeyValue::value).orElseThrow().toStringUtf8())
                    .isEqualTo("go-first");
            goLeader.ask("proclaim go-proclaimed", "proclaimed");
            assertThat(poll(weSee)).isEqualTo("go-proclaimed");
            assertThat(goObserver.expect("leader")).isEqualTo("go-proclaimed");

            // Our candidate queues behind Go's leader and takes over when Go resigns.
            Election mine = new Election(session, name);
            CompletableFuture<Void> campaign = mine.campaign("java");
            waitsForGo(campaign, name + "/", 2, "our candidate queued", goLeader, "resign", "resigned");
            assertThat(poll(weSee)).isEqualTo("java");
            assertThat(goObserver.expect("leader")).isEqualTo("java");

            // A Go candidate queues behind us, sees what we proclaim, and leads once we resign.
            try (GoRecipes goCandidate = go("campaign", name, "go-second")) {
                goCandidate.expect("session");
                awaitKeys(name + "/", 2, "Go's candidate queued");
                get(mine.proclaim("java-proclaimed"));
                assertThat(goObserver.expect("leader")).isEqualTo("java-proclaimed");
                assertThat(poll(weSee)).isEqualTo("java-proclaimed");
                assertThat(goCandidate.pending()).as("Go's candidate still waits").isEmpty();

                get(mine.resign());
                goCandidate.expect("leader");
                assertThat(goObserver.expect("leader")).isEqualTo("go-second");
                assertThat(poll(weSee)).isEqualTo("go-second");
                goCandidate.ask("resign", "resigned");
            }
        }
    }

    // ---- clientv3/leasing ----

    @Test
    void leasingWritesThroughOneSideInvalidateTheOthersCache() throws Exception {
        String leases = "go-interop/leases/";
        String goCached = "go-interop/leased-by-go";
        String weCache = "go-interop/leased-by-us";
        client.kv().put(goCached, "v1").join();
        client.kv().put(weCache, "w1").join();
        try (GoRecipes goKv = go("leasing", leases); LeasingKv ours = LeasingKv.create(client, leases, 10)) {
            goKv.expect("ready");

            // Go caches the key (it owns the lease key); our leasing put revokes that first.
            assertThat(goKv.ask("get " + goCached, "value")).isEqualTo(goCached + " v1");
            assertThat(other.kv().get(leases + goCached).join().kvs()).hasSize(1);
            get(ours.put(goCached, "v2"));
            assertThat(goKv.ask("get " + goCached, "value")).isEqualTo(goCached + " v2");
            get(ours.put(goCached, "v3"));
            assertThat(goKv.ask("get " + goCached, "value")).isEqualTo(goCached + " v3");
            assertThat(get(ours.get(goCached)).kvs().get(0).value().toStringUtf8()).isEqualTo("v3");

            // We cache the key; Go's leasing put revokes our lease, and we read its value after.
            assertThat(get(ours.get(weCache)).kvs().get(0).value().toStringUtf8()).isEqualTo("w1");
            KeyValue leaseKey = other.kv().get(leases + weCache).join().kvs().get(0);
            assertThat(leaseKey.lease()).as("we own the lease key").isEqualTo(ours.session().leaseId());
            goKv.ask("put " + weCache + " w2", "put");
            assertThat(get(ours.get(weCache)).kvs().get(0).value().toStringUtf8()).isEqualTo("w2");
            goKv.ask("put " + weCache + " w3", "put");
            assertThat(get(ours.get(weCache)).kvs().get(0).value().toStringUtf8()).isEqualTo("w3");
            assertThat(goKv.ask("get " + weCache, "value")).isEqualTo(weCache + " w3");

            // A txn and deletes through either side invalidate the other's cache too.
            assertThat(goKv.ask("get " + goCached, "value")).isEqualTo(goCached + " v3");
            assertThat(get(ours.txn().when(Cmp.version(goCached).notEqual(0)).then(Op.put(goCached, "t1")).commit())
                    .succeeded()).isTrue();
            assertThat(goKv.ask("get " + goCached, "value")).isEqualTo(goCached + " t1");
            get(ours.delete(goCached));
            assertThat(goKv.ask("get " + goCached, "absent")).isEqualTo(goCached);

            assertThat(get(ours.get(weCache)).kvs().get(0).value().toStringUtf8()).isEqualTo("w3");
            goKv.ask("delete " + weCache, "deleted");
            assertThat(get(ours.get(weCache)).kvs()).isEmpty();

            // Our session ends (its lease revoked); we lease the key again on a new session, and Go's
            // leasing put still revokes that lease before it writes.
            Session first = ours.session();
            get(other.lease().revoke(first.leaseId()));
            Await.until(STEP, "our key leased again on a new session", () -> {
                ours.get(weCache).join();
                Session now = ours.session();
                var lk = other.kv().get(leases + weCache).join().kvs();
                return now.isAlive() && now.leaseId() != first.leaseId() && !lk.isEmpty() && lk.get(0).lease() == now.leaseId();
            });
            goKv.ask("put " + weCache + " w4", "put");
            assertThat(get(ours.get(weCache)).kvs().get(0).value().toStringUtf8()).isEqualTo("w4");
        }
    }

    // ---- clientv3/namespace ----

    @Test
    void namespacedKeysAreTheSameForGoAndUs() throws Exception {
        String ns = "go-interop/ns/";
        KvClient ours = Namespace.kv(client.kv(), ns);
        try (GoRecipes goKv = go("namespace", ns)) {
            goKv.expect("ready");
            goKv.ask("put a from-go", "put");
            assertThat(get(ours.get("a")).kvs().get(0).value().toStringUtf8()).isEqualTo("from-go");
            assertThat(get(ours.get("a")).kvs().get(0).key().toStringUtf8()).isEqualTo("a");
            assertThat(client.kv().get(ns + "a").join().kvs()).hasSize(1);

            get(ours.put("b", "from-java"));
            assertThat(goKv.ask("get b", "value")).isEqualTo("b from-java");
            goKv.ask("delete a", "deleted");
            assertThat(get(ours.get("a")).kvs()).isEmpty();
            get(ours.delete("b"));
            assertThat(goKv.ask("get b", "absent")).isEqualTo("b");
        }
        assertThat(keysUnder(ns)).isZero();
    }

    // ---- contrib/recipes Queue and PriorityQueue ----

    @Test
    void queueElementsPassBetweenGoAndUsInOrder() throws Exception {
        String name = "go-interop/queue";
        Queue mine = new Queue(client, name);
        goEnqueues("queue-enqueue", name, "a", "b", "c");
        assertDequeues(mine::dequeueString, "a", "b", "c");

        get(mine.enqueue("x"));
        get(mine.enqueue("y"));
        get(mine.enqueue("z"));
        goDequeues("queue-dequeue", name, "x", "y", "z");

        // We wait on the empty queue; Go's element wakes us.
        CompletableFuture<String> waiting = mine.dequeueString();
        try (GoRecipes producer = go("queue-enqueue", name, "late")) {
            producer.expect("enqueued");
            assertThat(get(waiting)).isEqualTo("late");
        }
        assertThat(keysUnder(name + "/")).isZero();
    }

    @Test
    void priorityQueueElementsPassBetweenGoAndUsByPriority() throws Exception {
        String name = "go-interop/pq";
        PriorityQueue mine = new PriorityQueue(client, name);
        goEnqueues("pq-enqueue", name, "3:c", "1:a1", "2:b");
        get(mine.enqueue("a2", 1));
        goEnqueues("pq-enqueue", name, "1:a3");
        assertDequeues(mine::dequeueString, "a1", "a2", "a3", "b", "c");

        get(mine.enqueue("z", 9));
        get(mine.enqueue("y", 0));
        get(mine.enqueue("x", 0));
        goDequeues("pq-dequeue", name, "y", "x", "z");
    }

    /** Our consumer takes these elements, in this order. */
    private static void assertDequeues(Supplier<CompletableFuture<String>> dequeue, String... expected)
            throws Exception {
        for (String e : expected) {
            assertThat(get(dequeue.get())).isEqualTo(e);
        }
    }

    /** Go's producer {@code role} adds these elements to queue {@code name} and ends. */
    private void goEnqueues(String role, String name, String... elements) {
        String[] args = Stream.concat(Stream.of(name), Stream.of(elements)).toArray(String[]::new);
        try (GoRecipes producer = go(role, args)) {
            assertThat(producer.expect("enqueued")).isEqualTo(Integer.toString(elements.length));
            producer.awaitSuccess();
        }
    }

    /** Go's consumer {@code role} takes as many elements of queue {@code name} as expected, in this order. */
    private void goDequeues(String role, String name, String... expected) throws Exception {
        try (GoRecipes consumer = go(role, name, Integer.toString(expected.length))) {
            for (String e : expected) {
                assertThat(consumer.expect("value")).isEqualTo(e);
            }
            consumer.awaitSuccess();
        }
    }

    // ---- contrib/recipes Barrier, DoubleBarrier, RWMutex ----

    @Test
    void barrierHeldByOneSideHoldsTheOtherBack() throws Exception {
        String key = "go-interop/barrier";
        Barrier mine = new Barrier(client, key);
        try (GoRecipes holder = go("barrier-hold", key)) {
            holder.expect("held");
            CompletableFuture<Void> waiting = mine.await();
            assertThatThrownBy(() -> get(mine.hold())).isInstanceOf(KeyExistsException.class);
            assertThat(waiting).isNotDone();
            holder.ask("release", "released");
            get(waiting);
        }

        get(mine.hold());
        try (GoRecipes late = go("barrier-hold", key)) {
            late.expect("exists");
        }
        try (GoRecipes waiter = go("barrier-wait", key)) {
            waiter.expect("waiting");
            get(mine.release());
            waiter.expect("passed");
        }
    }

    @Test
    void doubleBarrierCountsGoAndUsAlike() throws Exception {
        try (Session session = Session.create(client, 10)) {
            // Go enters first and waits for us; we leave first and wait for Go.
            String first = "go-interop/double-go-first";
            try (GoRecipes peer = go("double-barrier", first, "2")) {
                peer.expect("entering");
                awaitKeys(first + "/waiters/", 1, "Go entered");
                assertThat(peer.pending()).as("Go waits for a second participant").isEmpty();
                DoubleBarrier mine = new DoubleBarrier(session, first, 2);
                get(mine.enter());
                peer.expect("entered");
                CompletableFuture<Void> leaving = mine.leave();
                waitsForGo(leaving, first + "/waiters/", 1, "our key gone", peer, "leave", "left");
            }
            // We enter first and wait for Go; Go leaves first and waits for us.
            String second = "go-interop/double-java-first";
            DoubleBarrier mine = new DoubleBarrier(session, second, 2);
            CompletableFuture<Void> entering = mine.enter();
            awaitKeys(second + "/waiters/", 1, "we entered");
            assertThat(entering).isNotDone();
            try (GoRecipes peer = go("double-barrier", second, "2")) {
                peer.expect("entering");
                peer.expect("entered");
                get(entering);
                peer.send("leave");
                awaitKeys(second + "/waiters/", 1, "Go's key gone");
                assertThat(peer.pending()).as("Go waits for us to leave").isEmpty();
                get(mine.leave());
                peer.expect("left");
            }
            assertThat(keysUnder("go-interop/double-")).isZero();
        }
    }

    @Test
    void readersWritersLockIsSharedWithGo() throws Exception {
        String name = "go-interop/rw";
        try (Session session = Session.create(client, 10)) {
            RWMutex mine = new RWMutex(session, name);
            try (GoRecipes writer = go("wlock", name)) {
                writer.expect("locking");
                writer.expect("acquired");
                CompletableFuture<Void> reading = mine.readLock();
                waitsForGo(reading, name + "/read/", 1, "our reader queued", writer, "release", "released");
            }
            // Readers share: a Go reader joins ours; a Go writer waits for both, ours last.
            try (GoRecipes reader = go("rlock", name)) {
                reader.expect("locking");
                reader.expect("acquired");
                try (GoRecipes writer = go("wlock", name)) {
                    writer.expect("locking");
                    awaitKeys(name + "/write/", 1, "Go's writer queued");
                    reader.ask("release", "released");
                    assertThat(writer.pending()).as("Go's writer waits for our reader").isEmpty();
                    get(mine.readUnlock());
                    writer.expect("acquired");

                    // Our writer waits for Go's.
                    CompletableFuture<Void> writing = mine.writeLock();
                    waitsForGo(writing, name + "/write/", 2, "our writer queued", writer, "release", "released");
                    get(mine.writeUnlock());
                }
            }
        }
        assertThat(keysUnder(name + "/")).isZero();
    }
}
