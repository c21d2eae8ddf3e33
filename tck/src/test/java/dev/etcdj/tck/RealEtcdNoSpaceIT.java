package dev.etcdj.tck;

import dev.etcdj.testing.EtcdTargetExtension;
import org.junit.jupiter.api.extension.RegisterExtension;

/** {@link NoSpaceContract} against the real etcd binary, the oracle, with a 256 KiB quota. */
class RealEtcdNoSpaceIT extends NoSpaceContract {
    @RegisterExtension
    static final EtcdTargetExtension etcd = EtcdTargetExtension.realEtcd("--quota-backend-bytes=" + QUOTA_BYTES);
}
