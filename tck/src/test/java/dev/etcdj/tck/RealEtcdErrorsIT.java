package dev.etcdj.tck;

import dev.etcdj.testing.EtcdTargetExtension;
import org.junit.jupiter.api.extension.RegisterExtension;

/** {@link ErrorsContract} against the real etcd binary, the oracle (default flags). */
class RealEtcdErrorsIT extends ErrorsContract {
    @RegisterExtension
    static final EtcdTargetExtension etcd = EtcdTargetExtension.realEtcd();
}
