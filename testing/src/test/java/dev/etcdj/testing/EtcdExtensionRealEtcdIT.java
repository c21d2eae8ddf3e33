package dev.etcdj.testing;

import static org.assertj.core.api.Assertions.assertThat;

import dev.etcdj.client.EtcdClient;
import java.net.URI;
import org.junit.jupiter.api.Test;

/** {@link EtcdTest} with a real etcd binary: the same injections, a process handle, and nothing left running. */
class EtcdExtensionRealEtcdIT {

    @EtcdTest(target = EtcdTest.Target.REAL_ETCD, etcdArgs = "--max-txn-ops=16")
    static class RealEtcd {
        @EtcdInject
        EtcdClient field;

        @Test
        void one(EtcdClient client, URI uri, EtcdProcess process, EtcdTarget target) {
            assertThat(field).isSameAs(client);
            assertThat(target.isRealEtcd()).isTrue();
            assertThat(process.endpoint()).isEqualTo(uri.toString());
            assertThat(process.isRunning()).isTrue();
            client.kv().blocking().put("k", "v");
            EtcdExtensionTest.seen.add(uri.toString());
        }

        @Test
        void two(EtcdClient client, @EtcdInject String endpoint) {
            assertThat(client.kv().blocking().get("k").count()).isEqualTo(1);
            EtcdExtensionTest.seen.add(endpoint);
        }
    }

    @EtcdTest(target = EtcdTest.Target.REAL_ETCD, scope = EtcdTest.Scope.METHOD)
    static class RealEtcdPerMethod {
        @Test
        void one(EtcdClient client, @EtcdInject String endpoint) {
            assertThat(client.kv().blocking().get("k").count()).isZero();
            client.kv().blocking().put("k", "v");
            EtcdExtensionTest.seen.add(endpoint);
        }

        @Test
        void two(EtcdClient client, @EtcdInject String endpoint) {
            assertThat(client.kv().blocking().get("k").count()).isZero();
            client.kv().blocking().put("k", "v");
            EtcdExtensionTest.seen.add(endpoint);
        }
    }

    @Test
    void aRealEtcdPerClassIsSharedAndStoppedAfter() {
        EtcdExtensionTest.assertAllPassed(EtcdExtensionTest.run(RealEtcd.class), 2);
        assertThat(EtcdExtensionTest.seen).hasSize(2).containsOnly(EtcdExtensionTest.seen.get(0));
        assertThat(EtcdExtensionTest.released(EtcdExtensionTest.seen.get(0))).isTrue();
    }

    @Test
    void aRealEtcdPerMethodIsFreshForEachTest() {
        EtcdExtensionTest.assertAllPassed(EtcdExtensionTest.run(RealEtcdPerMethod.class), 2);
        assertThat(EtcdExtensionTest.seen).hasSize(2).doesNotHaveDuplicates()
                .allSatisfy(e -> assertThat(EtcdExtensionTest.released(e)).isTrue());
    }
}
