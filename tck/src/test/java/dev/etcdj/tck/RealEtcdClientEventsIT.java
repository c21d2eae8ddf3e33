package dev.etcdj.tck;

import dev.etcdj.testing.EtcdTargetExtension;
import org.junit.jupiter.api.extension.RegisterExtension;

/** {@link ClientEventsContract} against the real etcd binary, the oracle (default flags). */
class RealEtcdClientEventsIT extends ClientEventsContract {
    @RegisterExtension
    static final EtcdTargetExtension etcd = EtcdTargetExtension.realEtcd();
}
