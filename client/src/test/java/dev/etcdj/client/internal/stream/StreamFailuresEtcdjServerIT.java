package dev.etcdj.client.internal.stream;

import dev.etcdj.testing.EtcdTarget;
import dev.etcdj.testing.EtcdTargetExtension;
import org.junit.jupiter.api.extension.RegisterExtension;

class StreamFailuresEtcdjServerIT extends StreamFailuresContract {

    @RegisterExtension
    static final EtcdTargetExtension server = EtcdTargetExtension.etcdjServer();

    @Override
    EtcdTarget target() {
        return server.target();
    }
}
