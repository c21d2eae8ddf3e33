package dev.etcdj.tck;

import dev.etcdj.testing.EtcdCluster;
import dev.etcdj.testing.EtcdTargetExtension;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.TestInstance;

/**
 * The base of a test class on a real etcd cluster of its own, which the subclass declares in a
 * static {@link EtcdTargetExtension} field (e.g. {@code EtcdTargetExtension.realEtcdCluster(3,
 * "failover")}). Every test leaves the cluster whole for the next: killed members back, paused ones
 * resumed.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class ClusterSupport {

    /** The subclass's cluster, started for the class. */
    EtcdCluster cluster() {
        return EtcdTargetExtension.declaredBy(getClass()).target(EtcdCluster.class);
    }

    @AfterEach
    void restoreCluster() {
        FailoverMembers.restore(cluster());
    }
}
