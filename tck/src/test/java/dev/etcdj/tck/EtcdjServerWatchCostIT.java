package dev.etcdj.tck;

import dev.etcdj.testing.EtcdTargetExtension;
import dev.etcdj.testing.EtcdjServerProcess;
import org.junit.jupiter.api.extension.RegisterExtension;

/** {@link WatchCostContract} against our own server in a JVM of its own, so its heap is not counted as the client's. */
class EtcdjServerWatchCostIT extends WatchCostContract {
    @RegisterExtension
    static final EtcdTargetExtension etcd = EtcdTargetExtension.of(EtcdjServerProcess::create);
}
