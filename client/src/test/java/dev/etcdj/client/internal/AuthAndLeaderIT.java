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
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Auth tokens (lazy, renewed) and requireLeader against a real etcd. */
class AuthAndLeaderIT {

    @Test
    void authenticatesLazilyAndRenewsAnExpiredToken() throws Exception {
        // Simple tokens expire after --auth-token-ttl seconds without use.
        try (EtcdLauncher etcd = EtcdLauncher.started("--auth-token-ttl", "1")) {
            etcd.etcdctl("user", "add", "root:rootpw", "--interactive=false");
            etcd.etcdctl("role", "add", "root");
            etcd.etcdctl("user", "grant-role", "root", "root");
            etcd.etcdctl("auth", "enable");

            try (EtcdClient client = EtcdClient.builder().endpoints(etcd.endpoint())
                    .credentials("root", "rootpw").build()) {
                client.kv().blocking().put("auth/k", "v");
                assertThat(client.kv().blocking().get("auth/k").kvs()).hasSize(1);
                // Let the token expire on the server; the next call gets "invalid auth token",
                // authenticates again and succeeds.
                long until = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(2500);
                while (System.nanoTime() < until) {
                    Thread.sleep(100); // waiting out a server-side TTL: nothing to observe meanwhile
                }
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
    void requireLeaderFailsFastWhenTheMemberLostItsLeader() throws Exception {
        EtcdLauncher[] pair = EtcdLauncher.startedPair();
        try (EtcdLauncher a = pair[0]; EtcdLauncher b = pair[1];
             EtcdClient leader = EtcdClient.builder().endpoints(a.endpoint())
                     .requireLeader(true).requestTimeout(Duration.ofSeconds(10)).build();
             EtcdClient plain = EtcdClient.builder().endpoints(a.endpoint())
                     .requestTimeout(Duration.ofSeconds(1)).build()) {
            assertThat(leader.kv().blocking().put("k", "v").header().revision()).isPositive();
            b.stop();
            // The survivor notices after its election timeout (1 s by default).
            long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
            Throwable last = null;
            while (System.nanoTime() < until) {
                try {
                    leader.kv().blocking().get("k");
                } catch (NoLeaderException e) {
                    last = e;
                    break;
                } catch (RuntimeException stillLeaderOrTimeout) {
                    last = stillLeaderOrTimeout;
                }
                Thread.sleep(100); // waiting for the member's election timer: nothing to observe
            }
            assertThat(last).isInstanceOf(NoLeaderException.class).hasMessage(EtcdError.NO_LEADER.message());
            long start = System.nanoTime();
            assertThatThrownBy(() -> leader.kv().blocking().get("k")).isInstanceOf(NoLeaderException.class);
            assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start)).isLessThan(1000);
            // Without the header a linearizable read waits for a leader until the deadline,
            assertThatThrownBy(() -> plain.kv().blocking().get("k")).isInstanceOf(EtcdTimeoutException.class);
            // while a serializable one is answered by the member alone.
            assertThat(plain.kv().blocking().get("k", Options.serializable()).kvs()).hasSize(1);
        }
    }
}
