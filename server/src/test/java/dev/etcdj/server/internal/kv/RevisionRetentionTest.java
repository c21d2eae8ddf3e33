package dev.etcdj.server.internal.kv;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** etcd's revision auto-compaction decision: current - retention, only when positive and new. */
class RevisionRetentionTest {

    @Test
    void compactsToCurrentMinusRetentionOncePerRevision() {
        RevisionRetention r = new RevisionRetention(1000);
        assertThat(r.next(999)).isZero();
        assertThat(r.next(1000)).isZero();
        assertThat(r.next(6000)).isEqualTo(5000);
        assertThat(r.next(6000)).as("not yet done: retried").isEqualTo(5000);
        r.done(5000);
        assertThat(r.next(6000)).as("nothing new").isZero();
        assertThat(r.next(6001)).isEqualTo(5001);
    }
}
