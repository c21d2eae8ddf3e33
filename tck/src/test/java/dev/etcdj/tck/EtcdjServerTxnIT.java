package dev.etcdj.tck;

import dev.etcdj.testing.EtcdTargetExtension;
import org.junit.jupiter.api.extension.RegisterExtension;

/** {@link TxnContract} against our own embedded server (etcd's defaults). */
class EtcdjServerTxnIT extends TxnContract {
    @RegisterExtension
    static final EtcdTargetExtension etcd = EtcdTargetExtension.etcdjServer();
}
