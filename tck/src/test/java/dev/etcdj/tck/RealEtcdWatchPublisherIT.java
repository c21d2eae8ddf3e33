package dev.etcdj.tck;

import dev.etcdj.testing.EtcdTargetExtension;
import org.junit.jupiter.api.extension.RegisterExtension;

/** {@link WatchPublisherContract} against the real etcd binary, the oracle (default flags). */
class RealEtcdWatchPublisherIT extends WatchPublisherContract {
    @RegisterExtension
    static final EtcdTargetExtension etcd = EtcdTargetExtension.realEtcd();
}
