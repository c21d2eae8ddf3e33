package dev.etcdj.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.OutputStream;
import java.lang.reflect.Proxy;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.BiFunction;
import org.junit.jupiter.api.Test;

/**
 * The blocking views made from their async interfaces: every call has its async twin, waits for
 * it, returns its value, throws its exception unwrapped, and keeps the per-call views.
 */
class BlockingViewsTest {

    /** An async client of {@code type} that answers each call by {@code answer(method name, args)}. */
    private static <T> T fake(Class<T> type, BiFunction<String, Object[], Object> answer) {
        return type.cast(Proxy.newProxyInstance(type.getClassLoader(), new Class<?>[] {type}, (p, m, args) -> {
            if (m.isDefault()) {
                return java.lang.reflect.InvocationHandler.invokeDefault(p, m, args);
            }
            return answer.apply(m.getName(), args);
        }));
    }

    @Test
    void everyViewHasAnAsyncTwinForEachCall() {
        BiFunction<String, Object[], Object> none = (name, args) -> null;
        assertThat(fake(AuthClient.class, none).blocking()).isInstanceOf(BlockingAuthClient.class);
        assertThat(fake(ClusterClient.class, none).blocking()).isInstanceOf(BlockingClusterClient.class);
        assertThat(fake(ElectionClient.class, none).blocking()).isInstanceOf(BlockingElectionClient.class);
        assertThat(fake(LeaseClient.class, none).blocking()).isInstanceOf(BlockingLeaseClient.class);
        assertThat(fake(LockClient.class, none).blocking()).isInstanceOf(BlockingLockClient.class);
        assertThat(fake(MaintenanceClient.class, none).blocking()).isInstanceOf(BlockingMaintenanceClient.class);
    }

    @Test
    void aCallReturnsItsFuturesValueWithItsArguments() {
        ResponseHeader header = new ResponseHeader(1, 2, 3, 4);
        List<Object> seen = new ArrayList<>();
        LockClient locks = fake(LockClient.class, (name, args) -> {
            seen.add(name);
            seen.addAll(List.of(args));
            return CompletableFuture.completedFuture(header);
        });
        assertThat(locks.blocking().unlock(Bytes.of("k"))).isSameAs(header);
        assertThat(seen).containsExactly("unlock", Bytes.of("k"));
    }

    @Test
    void primitiveAndVoidResultsAreUnboxed() {
        MaintenanceClient m = fake(MaintenanceClient.class, (name, args) -> switch (name) {
            case "snapshot" -> CompletableFuture.completedFuture(42L);
            case "defragment" -> CompletableFuture.completedFuture(null);
            default -> throw new AssertionError(name);
        });
        assertThat(m.blocking().snapshot("e", OutputStream.nullOutputStream())).isEqualTo(42L);
        m.blocking().defragment("e");
    }

    @Test
    void aFailedCallThrowsTheEtcdExceptionItself() {
        EtcdException failure = new EtcdException(EtcdException.Code.UNAVAILABLE, "down");
        AuthClient auth = fake(AuthClient.class, (name, args) -> CompletableFuture.failedFuture(failure));
        assertThatThrownBy(() -> auth.blocking().enable()).isSameAs(failure);
    }

    @Test
    void anExceptionThrownByTheAsyncCallItselfIsThrownAsItIs() {
        IllegalArgumentException bad = new IllegalArgumentException("ttl");
        LeaseClient lease = fake(LeaseClient.class, (name, args) -> {
            throw bad;
        });
        assertThatThrownBy(() -> lease.blocking().grant(-1)).isSameAs(bad);
    }

    @Test
    void aCallWithoutAFutureIsPassedThroughWithoutWaiting() {
        KeepAlive ka = fake(KeepAlive.class, (name, args) -> null);
        LeaseClient lease = fake(LeaseClient.class, (name, args) -> ka);
        assertThat(lease.blocking().keepAlive(7, new KeepAliveListener() { })).isSameAs(ka);
    }

    @Test
    void perCallViewsAreTheBlockingViewsOfTheAsyncOnes() {
        ElectionClient timed = fake(ElectionClient.class, (name, args) -> null);
        ElectionClient leader = fake(ElectionClient.class, (name, args) -> null);
        List<Object> timeouts = new ArrayList<>();
        ElectionClient e = fake(ElectionClient.class, (name, args) -> switch (name) {
            case "withTimeout" -> {
                timeouts.add(args[0]);
                yield timed;
            }
            case "withRequireLeader" -> leader;
            default -> throw new AssertionError(name);
        });
        BlockingElectionClient view = e.blocking();
        assertThat(view.async()).isSameAs(e);
        assertThat(view.withTimeout(Duration.ofSeconds(3)).async()).isSameAs(timed);
        assertThat(timeouts).containsExactly(Duration.ofSeconds(3));
        assertThat(view.withRequireLeader().async()).isSameAs(leader);
    }

    @Test
    void aViewIsEqualOnlyToItself() {
        LockClient locks = fake(LockClient.class, (name, args) -> null);
        BlockingLockClient a = locks.blocking();
        BlockingLockClient b = locks.blocking();
        assertThat(a).isEqualTo(a).isNotEqualTo(b).hasSameHashCodeAs(a);
        assertThat(a.toString()).startsWith("BlockingLockClient@");
    }

    /** A view whose call has no async twin of that return type. */
    interface WrongReturn extends BlockingView<AuthClient, WrongReturn> {
        String enable();
    }

    /** A view whose call has no async twin of those parameters. */
    interface NoTwin extends BlockingView<AuthClient, NoTwin> {
        AuthResponse enable(String why);
    }

    @Test
    void aViewThatDoesNotMatchItsAsyncClientIsRefusedAtFirstUse() {
        AuthClient auth = fake(AuthClient.class, (name, args) -> null);
        assertThatThrownBy(() -> WaitingViews.of(WrongReturn.class, auth, a -> null))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("WrongReturn.enable returns String");
        assertThatThrownBy(() -> WaitingViews.of(NoTwin.class, auth, a -> null))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("NoTwin.enable has no twin");
    }
}
