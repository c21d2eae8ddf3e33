package dev.etcdj.examples;

import dev.etcdj.testing.EtcdTargetExtension;
import org.junit.jupiter.api.extension.RegisterExtension;

class EtcdjServerExamplesIT extends ExamplesContract {
    @RegisterExtension
    static final EtcdTargetExtension target = EtcdTargetExtension.etcdjServer();
}
