package dev.etcdj.tck;

import dev.etcdj.testing.EtcdTargetExtension;
import org.junit.jupiter.api.extension.RegisterExtension;

/** {@link WatchStreamContract} against the real etcd binary, the oracle (64 KiB requests, so catch-ups fragment). */
class RealEtcdWatchStreamIT extends WatchStreamContract {
    @RegisterExtension
    static final EtcdTargetExtension etcd = EtcdTargetExtension.realEtcd("--max-request-bytes=" + MAX_REQUEST_BYTES);
}
