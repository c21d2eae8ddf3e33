package dev.etcdj.tck;

import dev.etcdj.testing.EtcdTargetExtension;
import org.junit.jupiter.api.extension.RegisterExtension;

/** {@link WatchStreamContract} against our own embedded server (64 KiB requests, as the real etcd run). */
class EtcdjServerWatchStreamIT extends WatchStreamContract {
    @RegisterExtension
    static final EtcdTargetExtension etcd = EtcdTargetExtension.etcdjServer(b -> b.maxRequestBytes(MAX_REQUEST_BYTES));
}
