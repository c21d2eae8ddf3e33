package dev.etcdj.tck;

import dev.etcdj.testing.EtcdTargetExtension;
import org.junit.jupiter.api.extension.RegisterExtension;

/** {@link NoSpaceContract} against our own embedded server, with a 256 KiB quota. */
class EtcdjServerNoSpaceIT extends NoSpaceContract {
    @RegisterExtension
    static final EtcdTargetExtension etcd = EtcdTargetExtension.etcdjServer(b -> b.quotaBackendBytes(QUOTA_BYTES));
}
