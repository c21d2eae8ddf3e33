package dev.etcdj.examples;

import dev.etcdj.testing.EtcdTargetExtension;
import org.junit.jupiter.api.extension.RegisterExtension;

class RealEtcdExamplesIT extends ExamplesContract {
    @RegisterExtension
    static final EtcdTargetExtension target = EtcdTargetExtension.realEtcd();
}
