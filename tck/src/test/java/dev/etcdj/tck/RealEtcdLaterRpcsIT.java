package dev.etcdj.tck;

import dev.etcdj.testing.EtcdTargetExtension;
import org.junit.jupiter.api.extension.RegisterExtension;

/** {@link LaterRpcsContract} against the real etcd binary, the oracle (default flags). */
class RealEtcdLaterRpcsIT extends LaterRpcsContract {
    @RegisterExtension
    static final EtcdTargetExtension etcd = EtcdTargetExtension.realEtcd();
}
