package dev.etcdj.tck;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.etcdj.client.AuthStatusResponse;
import dev.etcdj.client.DowngradeAction;
import dev.etcdj.client.EtcdException;
import dev.etcdj.client.UnsupportedRpcException;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.Test;

/**
 * The RPCs etcd 3.5 added (AuthStatus, Downgrade), against 3.4 servers: the client reports a call
 * the server lacks as {@link UnsupportedRpcException} (never a raw gRPC Unimplemented), and the
 * etcdj server answers AuthStatus as etcd 3.5 does while lacking Downgrade as etcd 3.4 does.
 */
public abstract class LaterRpcsContract extends ContractSupport {

    private static UnsupportedRpcException unsupported(Throwable t) {
        assertThat(t).isInstanceOf(CompletionException.class);
        assertThat(t.getCause()).isInstanceOf(UnsupportedRpcException.class);
        UnsupportedRpcException u = (UnsupportedRpcException) t.getCause();
        assertThat(u.code()).isEqualTo(EtcdException.Code.UNIMPLEMENTED);
        assertThat(u.since()).isEqualTo("3.5");
        return u;
    }

    @Test
    void authStatusIsEtcd35sOnOurServerAndUnsupportedOnEtcd34() {
        if (target().isRealEtcd()) {
            UnsupportedRpcException u = unsupported(catchThrowable(() -> client.auth().status().join()));
            assertThat(u.method()).isEqualTo("Auth/AuthStatus");
            assertThat(u).hasMessage("Auth/AuthStatus is not supported by this server (it needs etcd 3.5 or later)");
            return;
        }
        long before = currentRevision();
        AuthStatusResponse s = client.auth().status().join();
        assertThat(s.enabled()).isFalse();
        assertThat(s.header().revision()).isEqualTo(before);
        // The auth revision moves with each change of the auth store.
        client.auth().roleAdd("later-rpcs-role").join();
        AuthStatusResponse after = client.auth().blocking().status();
        assertThat(after.authRevision()).isGreaterThan(s.authRevision());
        client.auth().roleDelete("later-rpcs-role").join();
    }

    @Test
    void downgradeIsUnsupportedByEither34Server() {
        for (DowngradeAction action : DowngradeAction.values()) {
            UnsupportedRpcException u = unsupported(catchThrowable(
                    () -> client.maintenance().downgrade(action, "3.4").join()));
            assertThat(u.method()).isEqualTo("Maintenance/Downgrade");
            assertThat(u).hasMessage("Maintenance/Downgrade is not supported by this server (it needs etcd 3.5 or later)");
        }
    }
}
