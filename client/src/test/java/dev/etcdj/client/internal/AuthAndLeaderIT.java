package dev.etcdj.client.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.etcdj.client.AuthException;
import dev.etcdj.client.AuthFailedException;
import dev.etcdj.client.EtcdClient;
import dev.etcdj.client.EtcdError;
import dev.etcdj.client.EtcdTimeoutException;
import dev.etcdj.client.NoLeaderException;
import dev.etcdj.client.Options;
import dev.etcdj.testing.Await;
import dev.etcdj.testing.EtcdCluster;
import dev.etcdj.testing.EtcdProcess;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/** Auth tokens (lazy, renewed) and requireLeader against a real etcd. */
class AuthAndLeaderIT {

    @Test
    void authenticatesLazilyAndRenewsAnExpiredToken() throws Exception {
        // Simple tokens expire after --auth-token-ttl seconds without use.
        try (EtcdProcess etcd = EtcdProcess.builder().args("--auth-token-ttl", "1").build()) {
            etcd.start();
            enableAuthWithRoot(etcd);

            try (EtcdClient client = EtcdClient.builder().endpoints(etcd.endpoint())
                    .credentials("root", "rootpw").build()) {
                client.kv().blocking().put("auth/k", "v");
                assertThat(client.kv().blocking().get("auth/k").kvs()).hasSize(1);
                // Let the token expire on the server; the next call gets "invalid auth token",
                // authenticates again and succeeds.
                // A fixed wait on purpose: nothing outside the client shows the token's expiry, and any
                // probe with the token would renew it. 2.5 s: the 1 s TTL plus margin for etcd's periodic sweep.
                Thread.sleep(2500);
                assertThat(client.kv().blocking().get("auth/k").kvs()).hasSize(1);
                assertThat(client.kv().blocking().put("auth/k", "w").header().revision()).isPositive();
            }

            try (EtcdClient anonymous = EtcdClient.builder().endpoints(etcd.endpoint()).build()) {
                assertThatThrownBy(() -> anonymous.kv().blocking().get("auth/k"))
                        .isInstanceOf(AuthException.class)
                        .hasMessage(EtcdError.USER_EMPTY.message());
            }

            try (EtcdClient wrong = EtcdClient.builder().endpoints(etcd.endpoint())
                    .credentials("root", "nope").build()) {
                assertThatThrownBy(() -> wrong.kv().blocking().get("auth/k"))
                        .isInstanceOf(AuthFailedException.class)
                        .hasMessage(EtcdError.AUTH_FAILED.message());
            }
        }
    }

    @Test
    void credentialsWorkBeforeAndAfterAuthIsEnabled() throws Exception {
        try (EtcdProcess etcd = EtcdProcess.builder().build()) {
            etcd.start();
            try (EtcdClient client = EtcdClient.builder().endpoints(etcd.endpoint())
                    .credentials("root", "rootpw").build()) {
                // Auth is off: like clientv3, the client goes on without a token.
                client.kv().blocking().put("before", "1");
                enableAuthWithRoot(etcd);
                // Now the server wants a token ("user name is empty"): the client fetches one and retries.
                assertThat(client.kv().blocking().get("before").kvs()).hasSize(1);
                client.kv().blocking().put("after", "2");
            }
        }
    }

    @Test
    void requireLeaderFailsFastWhenTheMemberLostItsLeader() throws Exception {
        // Two members: with one gone the other has no quorum, so no leader.
        try (EtcdCluster pair = EtcdCluster.builder().size(2).build()) {
            pair.start();
            requireLeaderFailsFast(pair.member(0), pair.member(1));
        }
    }

    private static void requireLeaderFailsFast(EtcdProcess a, EtcdProcess b) {
        try (EtcdClient leader = EtcdClient.builder().endpoints(a.endpoint())
                     .requireLeader(true).requestTimeout(Duration.ofSeconds(10)).build();
             EtcdClient plain = EtcdClient.builder().endpoints(a.endpoint())
                     .requestTimeout(Duration.ofSeconds(1)).build()) {
            assertThat(leader.kv().blocking().put("k", "v").header().revision()).isPositive();
            b.kill();
            // The survivor notices after its election timeout (1 s by default).
            AtomicReference<Throwable> last = new AtomicReference<>();
            Await.poll(Duration.ofSeconds(15), () -> {
                try {
                    leader.kv().blocking().get("k");
                    return false;
                } catch (RuntimeException e) {
                    last.set(e);
                    return e instanceof NoLeaderException;
                }
            });
            assertThat(last.get()).isInstanceOf(NoLeaderException.class).hasMessage(EtcdError.NO_LEADER.message());
            long start = System.nanoTime();
            assertThatThrownBy(() -> leader.kv().blocking().get("k")).isInstanceOf(NoLeaderException.class);
            assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start)).isLessThan(1000);
            // Without the header a linearizable read waits for a leader until the deadline,
            assertThatThrownBy(() -> plain.kv().blocking().get("k")).isInstanceOf(EtcdTimeoutException.class);
            // while a serializable one is answered by the member alone.
            assertThat(plain.kv().blocking().get("k", Options.serializable()).kvs()).hasSize(1);
        }
    }

    /** A root user with the root role, then auth on: set up through etcdctl, independent of the client under test. */
    private static void enableAuthWithRoot(EtcdProcess etcd) throws IOException, InterruptedException {
        etcdctl(etcd, "user", "add", "root:rootpw", "--interactive=false");
        etcdctl(etcd, "role", "add", "root");
        etcdctl(etcd, "user", "grant-role", "root", "root");
        etcdctl(etcd, "auth", "enable");
    }

    private static void etcdctl(EtcdProcess etcd, String... args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of("/usr/bin/etcdctl", "--endpoints", etcd.endpoint()));
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
        pb.environment().put("ETCDCTL_API", "3");
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(20, TimeUnit.SECONDS) || p.exitValue() != 0) {
            p.destroyForcibly();
            throw new IOException("etcdctl " + String.join(" ", args) + " failed: " + out);
        }
    }
}
