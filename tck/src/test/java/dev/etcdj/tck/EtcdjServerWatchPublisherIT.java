package dev.etcdj.tck;

import dev.etcdj.testing.EtcdTargetExtension;
import org.junit.jupiter.api.extension.RegisterExtension;

/** {@link WatchPublisherContract} against our own embedded server (etcd's defaults). */
class EtcdjServerWatchPublisherIT extends WatchPublisherContract {
    @RegisterExtension
    static final EtcdTargetExtension etcd = EtcdTargetExtension.etcdjServer();
}
