package dev.etcdj.tck;

import dev.etcdj.testing.EtcdTargetExtension;
import org.junit.jupiter.api.extension.RegisterExtension;

/** {@link WatchContract} against the real etcd binary, the oracle (progress notifications every 500 ms, so the progress contract runs in seconds). */
class RealEtcdWatchIT extends WatchContract {
    @RegisterExtension
    static final EtcdTargetExtension etcd = EtcdTargetExtension.realEtcd("--experimental-watch-progress-notify-interval=500ms");
}
