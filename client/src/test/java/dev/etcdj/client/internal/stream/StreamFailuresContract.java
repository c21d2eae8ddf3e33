package dev.etcdj.client.internal.stream;

import static org.assertj.core.api.Assertions.assertThat;

import dev.etcdj.client.AuthFailedException;
import dev.etcdj.client.Bytes;
import dev.etcdj.client.ClientBuilder;
import dev.etcdj.client.EtcdClient;
import dev.etcdj.client.EtcdException;
import dev.etcdj.client.KeepAliveListener;
import dev.etcdj.client.LeaseKeepAliveResponse;
import dev.etcdj.client.Options;
import dev.etcdj.client.Permission;
import dev.etcdj.client.PermissionDeniedException;
import dev.etcdj.client.internal.watch.Recorder;
import dev.etcdj.testing.Await;
import dev.etcdj.testing.EtcdTarget;
import dev.etcdj.testing.FaultProxy;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

/**
 * Stream failures that opening the stream again would only repeat reach the watch and keep-alive
 * listeners as typed errors, while passing ones are ridden out. One subclass per target: real
 * etcd and our server must behave the same.
 */
abstract class StreamFailuresContract {

    static final Duration T = Duration.ofSeconds(20);

    abstract EtcdTarget target();

    EtcdClient client(Consumer<ClientBuilder> config) {
        ClientBuilder b = EtcdClient.builder().endpoints(target().endpoint());
        config.accept(b);
        return b.build();
    }

    static <T> T get(CompletableFuture<T> f) throws Exception {
        return f.get(T.toSeconds(), TimeUnit.SECONDS);
    }

    /** Hears a keep-alive: its renewals, and its terminal event as text. */
    static final class Renewals implements KeepAliveListener {
        final AtomicInteger renewed = new AtomicInteger();
        final CompletableFuture<EtcdException> error = new CompletableFuture<>();
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
        public void onError(EtcdException e) {
            error.complete(e);
            ended.complete("error");
        }

        @Override
        public void onClosed() {
            ended.complete("closed");
        }
    }

    /**
     * Auth on, with root and a user "reader" who may read (and write) {@code allowed/} only; runs
     * {@code test}, then turns auth off again for the other tests.
     */
    void withAuth(ThrowingRunnable test) throws Exception {
        try (EtcdClient admin = client(b -> { })) {
            get(admin.auth().userAdd("root", "rootpw"));
            get(admin.auth().userGrantRole("root", "root"));
            get(admin.auth().roleAdd("reader"));
            get(admin.auth().roleGrantPermission("reader", new Permission(Permission.Type.READWRITE,
                    Bytes.of("allowed/"), Bytes.of("allowed/").prefixEnd())));
            get(admin.auth().userAdd("reader", "readerpw"));
            get(admin.auth().userGrantRole("reader", "reader"));
            get(admin.auth().enable());
        }
        try {
            test.run();
        } finally {
            try (EtcdClient root = client(b -> b.credentials("root", "rootpw"))) {
                get(root.auth().disable());
                get(root.auth().userDelete("reader"));
                get(root.auth().roleDelete("reader"));
                get(root.auth().userDelete("root"));
            }
        }
    }

    interface ThrowingRunnable {
        void run() throws Exception;
    }

    @Test
    void aWatchOnAKeyTheUserMayNotReadEndsWithPermissionDenied() throws Exception {
        withAuth(() -> {
            try (EtcdClient reader = client(b -> b.credentials("reader", "readerpw"))) {
                Recorder denied = new Recorder();
                Recorder allowed = new Recorder();
                // From the next revision: the put below cannot slip in before the watch is created.
                long next = get(reader.kv().get("allowed/x")).header().revision() + 1;
                reader.watch().watch("secret/x", denied);
                reader.watch().watch("allowed/x", allowed, Options.revision(next));
                assertThat(denied.error.get(T.toSeconds(), TimeUnit.SECONDS))
                        .isInstanceOf(PermissionDeniedException.class)
                        .hasMessage("etcdserver: permission denied");
                // Only that watch: the stream and the other watch on it go on.
                get(reader.kv().put("allowed/x", "1"));
                allowed.awaitEvents(1, T);
                assertThat(allowed.terminals()).isZero();
                assertThat(denied.terminals()).isEqualTo(1);
            }
        });
    }

    @Test
    void badCredentialsEndWatchesAndKeepAlivesWithTheAuthError() throws Exception {
        withAuth(() -> {
            long lease;
            try (EtcdClient root = client(b -> b.credentials("root", "rootpw"))) {
                lease = get(root.lease().grant(60)).leaseId();
            }
            try (EtcdClient wrong = client(b -> b.credentials("reader", "not-the-password"))) {
                Recorder watch = new Recorder();
                Renewals renewals = new Renewals();
                wrong.watch().watch("allowed/x", watch);
                wrong.lease().keepAlive(lease, renewals);
                // At once, not after retrying until the lease's deadline (60 s).
                assertThat(watch.error.get(T.toSeconds(), TimeUnit.SECONDS)).isInstanceOf(AuthFailedException.class);
                assertThat(renewals.error.get(T.toSeconds(), TimeUnit.SECONDS)).isInstanceOf(AuthFailedException.class);
                assertThat(renewals.renewed).hasValue(0);
            }
        });
    }

    @Test
    void aResponseLargerThanTheClientAcceptsEndsTheWatchesOfItsStream() throws Exception {
        try (EtcdClient admin = client(b -> { });
             EtcdClient small = client(b -> b.maxInboundMessageBytes(64 * 1024))) {
            Recorder other = new Recorder();
            long next = get(admin.kv().get("small/")).header().revision() + 1;
            small.watch().watch("small/", other, Options.prefix(), Options.revision(next));
            get(admin.kv().put("small/a", "1"));
            other.awaitEvents(1, T);    // live on the stream

            long rev = get(admin.kv().put("big/k", "x".repeat(200 * 1024))).header().revision();
            Recorder big = new Recorder();
            small.watch().watch("big/k", big, Options.revision(rev));
            EtcdException e = big.error.get(T.toSeconds(), TimeUnit.SECONDS);
            assertThat(e.code()).isEqualTo(EtcdException.Code.RESOURCE_EXHAUSTED);
            assertThat(e.getMessage()).startsWith("grpc: received message larger than max (");
            // The stream is gone with every watch on it: each hears why.
            assertThat(other.error.get(T.toSeconds(), TimeUnit.SECONDS)).isSameAs(e);
            assertThat(big.events()).isEmpty();

            // A new watch opens a new stream.
            Recorder again = new Recorder();
            small.watch().watch("small/", again, Options.prefix(), Options.revision(rev + 1));
            get(admin.kv().put("small/b", "2"));
            again.awaitEvents(1, T);
            assertThat(again.terminals()).isZero();
        }
    }

    @Test
    void aKeepAliveThatRunsOutWhileTheServerIsDownSaysTheConnectionWasRefused() throws Exception {
        try (EtcdClient client = client(b -> { })) {
            long lease = get(client.lease().grant(3)).leaseId();
            Renewals renewals = new Renewals();
            client.lease().keepAlive(lease, renewals);
            Await.until(T, "first renewal", () -> renewals.renewed.get() >= 1);
            String endpoint = target().endpoint();
            target().kill();
            try {
                EtcdException e = renewals.error.get(T.toSeconds(), TimeUnit.SECONDS);
                assertThat(e.getMessage())
                        .startsWith("etcdj: lease " + lease + " could not be renewed before its deadline: "
                                + "etcdj: could not connect to [" + endpoint + "]: ")
                        .contains("refused the connection");
            } finally {
                target().start();
            }
        }
    }

    @Test
    void droppedConnectionsAreRiddenOut() throws Exception {
        try (FaultProxy proxy = FaultProxy.start(target().endpoint());
             EtcdClient admin = client(b -> { });
             EtcdClient client = EtcdClient.builder().endpoints(proxy.endpoint()).build()) {
            long lease = get(admin.lease().grant(5)).leaseId();
            Renewals renewals = new Renewals();
            client.lease().keepAlive(lease, renewals);
            long from = get(admin.kv().put("drop/0", "0")).header().revision();
            Recorder r = new Recorder();
            client.watch().watch("drop/", r, Options.prefix(), Options.revision(from));
            r.awaitEvents(1, T);
            for (int i = 1; i <= 3; i++) {
                proxy.dropConnections();
                get(admin.kv().put("drop/" + i, Integer.toString(i)));
                r.awaitEvents(i + 1, T);
            }
            int seen = renewals.renewed.get();
            Await.until(T, "renewals go on", () -> renewals.renewed.get() >= seen + 1);
            assertThat(r.revisions()).containsExactly(from, from + 1, from + 2, from + 3);
            assertThat(r.terminals()).isZero();
            assertThat(renewals.ended).isNotDone();
        }
    }
}
