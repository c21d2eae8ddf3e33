package dev.etcdj.tck;

import dev.etcdj.testing.EtcdTargetExtension;
import org.junit.jupiter.api.extension.RegisterExtension;

/** {@link ErrorsContract} against our own embedded server (etcd's defaults). */
class EtcdjServerErrorsIT extends ErrorsContract {
    @RegisterExtension
    static final EtcdTargetExtension etcd = EtcdTargetExtension.etcdjServer();
}
