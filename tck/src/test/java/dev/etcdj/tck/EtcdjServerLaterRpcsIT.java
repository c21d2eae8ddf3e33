package dev.etcdj.tck;

import dev.etcdj.testing.EtcdTargetExtension;
import org.junit.jupiter.api.extension.RegisterExtension;

/** {@link LaterRpcsContract} against our own embedded server (etcd's defaults). */
class EtcdjServerLaterRpcsIT extends LaterRpcsContract {
    @RegisterExtension
    static final EtcdTargetExtension etcd = EtcdTargetExtension.etcdjServer();
}
