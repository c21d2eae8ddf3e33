package dev.etcdj.tck;

import dev.etcdj.testing.EtcdTargetExtension;
import java.time.Duration;
import org.junit.jupiter.api.extension.RegisterExtension;

/** {@link AuthContract} against our own embedded server (simple tokens live 2 s past their last use, as the real etcd run). */
class EtcdjServerAuthIT extends AuthContract {
    @RegisterExtension
    static final EtcdTargetExtension etcd = EtcdTargetExtension.etcdjServer(
            b -> b.authTokenTtl(Duration.ofSeconds(TOKEN_TTL_SECONDS)));
}
