package dev.etcdj.tck;

import dev.etcdj.testing.EtcdTargetExtension;
import java.time.Duration;
import org.junit.jupiter.api.extension.RegisterExtension;

/** {@link WatchContract} against our own embedded server (progress notifications every 500 ms, as the real etcd run). */
class EtcdjServerWatchIT extends WatchContract {
    @RegisterExtension
    static final EtcdTargetExtension etcd = EtcdTargetExtension.etcdjServer(b -> b.progressNotifyInterval(Duration.ofMillis(500)));
}
