package dev.etcdj.tck;

import dev.etcdj.testing.EtcdTargetExtension;
import org.junit.jupiter.api.extension.RegisterExtension;

/** {@link ResilienceContract} against the real etcd binary, the oracle. */
class RealEtcdResilienceIT extends ResilienceContract {
    @RegisterExtension
    static final EtcdTargetExtension etcd = EtcdTargetExtension.realEtcd();
}
