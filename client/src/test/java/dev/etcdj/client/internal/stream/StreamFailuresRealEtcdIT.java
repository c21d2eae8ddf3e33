package dev.etcdj.client.internal.stream;

import dev.etcdj.testing.EtcdTarget;
import dev.etcdj.testing.EtcdTargetExtension;
import org.junit.jupiter.api.extension.RegisterExtension;

class StreamFailuresRealEtcdIT extends StreamFailuresContract {

    @RegisterExtension
    static final EtcdTargetExtension etcd = EtcdTargetExtension.realEtcd();

    @Override
    EtcdTarget target() {
        return etcd.target();
    }
}
