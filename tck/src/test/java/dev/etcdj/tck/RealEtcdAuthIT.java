package dev.etcdj.tck;

import dev.etcdj.testing.EtcdTargetExtension;
import org.junit.jupiter.api.extension.RegisterExtension;

/** {@link AuthContract} against the real etcd binary, the oracle (simple tokens live 2 s past their last use). */
class RealEtcdAuthIT extends AuthContract {
    @RegisterExtension
    static final EtcdTargetExtension etcd = EtcdTargetExtension.realEtcd("--auth-token-ttl=" + TOKEN_TTL_SECONDS);
}
