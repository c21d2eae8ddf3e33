package dev.etcdj.tck;

import static dev.etcdj.client.Options.revision;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.etcdj.client.AlarmMember;
import dev.etcdj.client.AlarmResponse;
import dev.etcdj.client.Bytes;
import dev.etcdj.client.ClusterClient;
import dev.etcdj.client.CompactedException;
import dev.etcdj.client.EtcdError;
import dev.etcdj.client.EtcdException;
import dev.etcdj.client.FutureRevisionException;
import dev.etcdj.client.HashKvResponse;
import dev.etcdj.client.MaintenanceClient;
import dev.etcdj.client.Member;
import dev.etcdj.client.MemberAddResponse;
import dev.etcdj.client.MemberException;
import dev.etcdj.client.MemberListResponse;
import dev.etcdj.client.StatusResponse;
import java.io.ByteArrayOutputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Membership and maintenance of a one-member target: list, status, hashes, alarms, defragment, snapshot. */
public abstract class ClusterMaintenanceContract extends ContractSupport {

    private ClusterClient cluster;
    private MaintenanceClient maintenance;
    private String endpoint;

    @BeforeEach
    void clients() {
        cluster = client.cluster();
        maintenance = client.maintenance();
        endpoint = endpoints().get(0);
    }

    @Test
    void memberListHasTheOneStartedMember() {
        MemberListResponse list = result(cluster.memberList());
        assertThat(list.members()).hasSize(1);
        Member m = list.members().get(0);
        assertThat(m.id()).isNotZero().isEqualTo(list.header().memberId());
        assertThat(m.name()).isNotEmpty();
        assertThat(m.clientUrls()).contains(endpoint);
        assertThat(m.peerUrls()).isNotEmpty();
        assertThat(m.learner()).isFalse();
        assertThat(list.header().clusterId()).isNotZero();
    }

    @Test
    void theOneMemberIsTheLeader() {
        StatusResponse status = result(maintenance.status(endpoint));
        Member leader = result(cluster.memberLeader());
        assertThat(leader.id()).isEqualTo(status.leader()).isEqualTo(status.header().memberId());
        assertThat(leader.clientUrls()).contains(endpoint);
    }

    @Test
    void statusDescribesTheMember() {
        long rev = kv.put(key("k"), "v").header().revision();
        StatusResponse s = result(maintenance.status(endpoint));
        assertThat(s.version()).matches("\\d+\\.\\d+\\.\\d+.*");
        assertThat(s.dbSize()).isPositive();
        assertThat(s.dbSizeInUse()).isPositive().isLessThanOrEqualTo(s.dbSize());
        assertThat(s.leader()).isEqualTo(s.header().memberId()).isNotZero();
        assertThat(s.raftIndex()).isPositive();
        assertThat(s.raftTerm()).isPositive();
        assertThat(s.raftAppliedIndex()).isPositive();
        assertThat(s.errors()).isEmpty();
        assertThat(s.learner()).isFalse();
        assertThat(s.header().revision()).isGreaterThanOrEqualTo(rev);
        assertThat(s.header().clusterId()).isNotZero();

        kv.put(key("k"), "v2");
        StatusResponse after = result(maintenance.status(endpoint));
        assertThat(after.raftIndex()).isGreaterThan(s.raftIndex());
        assertThat(after.header().revision()).isEqualTo(s.header().revision() + 1);
    }

    @Test
    void hashKvIsStableForARevisionAndChangesWithWrites() {
        long rev = kv.put(key("k"), "v").header().revision();
        HashKvResponse h1 = result(maintenance.hashKv(endpoint, rev));
        HashKvResponse h2 = result(maintenance.hashKv(endpoint, rev));
        assertThat(h1.hash()).isEqualTo(h2.hash());
        assertThat(h1.hash()).isBetween(0L, 0xFFFFFFFFL);

        kv.put(key("k"), "v2");
        assertThat(result(maintenance.hashKv(endpoint, rev)).hash()).isEqualTo(h1.hash());
        assertThat(result(maintenance.hashKv(endpoint, 0)).hash()).isNotEqualTo(h1.hash());
        assertThat(result(maintenance.hashKv(endpoint, 0)).header().revision()).isEqualTo(rev + 1);
    }

    @Test
    void hashKvOfACompactedOrFutureRevisionFails() {
        kv.put(key("k"), "v1");
        long r2 = kv.put(key("k"), "v2").header().revision();
        long r3 = kv.put(key("k"), "v3").header().revision();
        kv.compact(r2, true);
        assertThat(result(maintenance.hashKv(endpoint, r3)).compactRevision()).isEqualTo(r2);
        Throwable compacted = catchThrowable(() -> result(maintenance.hashKv(endpoint, r2 - 1)));
        assertThat(compacted).isInstanceOf(CompactedException.class);
        Throwable future = catchThrowable(() -> result(maintenance.hashKv(endpoint, r3 + 100)));
        assertThat(future).isInstanceOf(FutureRevisionException.class);
        // The data at and after the compact revision is untouched.
        assertThat(kv.get(key("k"), revision(r2)).kvs().get(0).value()).isEqualTo(Bytes.of("v2"));
    }

    @Test
    void hashOfTheBackend() {
        kv.put(key("k"), "v");
        long h1 = result(maintenance.hash(endpoint)).hash();
        assertThat(h1).isBetween(0L, 0xFFFFFFFFL);
        assertThat(result(maintenance.hash(endpoint)).hash()).as("stable without writes").isEqualTo(h1);
        kv.put(key("k"), "v2");
        long h2 = result(maintenance.hash(endpoint)).hash();
        assertThat(h2).isNotEqualTo(h1);
    }

    @Test
    void noAlarmsAndDisarmingANonexistentAlarmChangesNothing() {
        AlarmResponse list = result(maintenance.alarmList());
        assertThat(list.alarms()).isEmpty();
        long memberId = result(cluster.memberList()).members().get(0).id();
        AlarmResponse disarm = result(maintenance.alarmDisarm(new AlarmMember(memberId, AlarmMember.Type.NOSPACE)));
        assertThat(disarm.alarms()).isEmpty();
        assertThat(result(maintenance.alarmList()).alarms()).isEmpty();
    }

    @Test
    void defragmentKeepsTheDataAndCanShrinkTheFile() {
        for (int i = 0; i < 20; i++) {
            kv.put(key("k" + i), "value " + i);
        }
        // Garbage for it to drop: values deleted and compacted away.
        for (int i = 0; i < 200; i++) {
            kv.put(key("gone/" + i), "x".repeat(1024));
        }
        kv.compact(kv.delete(key("gone/"), dev.etcdj.client.Options.prefix()).header().revision(), true);
        long rev = currentRevision();
        long before = result(maintenance.status(endpoint)).dbSize();
        result(maintenance.defragment(endpoint));
        assertThat(kv.get(key("k7")).kvs().get(0).value()).isEqualTo(Bytes.of("value 7"));
        assertThat(currentRevision()).isEqualTo(rev);
        StatusResponse after = result(maintenance.status(endpoint));
        assertThat(after.dbSize()).isPositive().isLessThanOrEqualTo(before);
        assertThat(after.dbSizeInUse()).isLessThanOrEqualTo(after.dbSize());
    }

    @Test
    void snapshotStreamsTheDatabase() {
        kv.put(key("k"), "v");
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        long dbSize = result(maintenance.snapshot(endpoint, out));
        // The output is what etcdctl snapshot save writes: the database, then its SHA-256.
        byte[] file = out.toByteArray();
        assertThat(dbSize).isPositive();
        assertThat(file).hasSize((int) dbSize + 32);
        assertThat(Arrays.copyOfRange(file, (int) dbSize, file.length)).isEqualTo(sha256(file, (int) dbSize));
        assertThat(kv.get(key("k")).kvs()).hasSize(1);
    }

    private static byte[] sha256(byte[] data, int length) {
        try {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            md.update(data, 0, length);
            return md.digest();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void aLearnerCanBeAddedUpdatedAndRemoved() {
        // A learner does not vote, so adding one that never starts keeps the one-member quorum.
        String peer = "http://127.0.0.1:9";
        MemberAddResponse added = result(cluster.memberAdd(List.of(peer), true));
        Member learner = added.member();
        try {
            assertThat(learner.id()).isNotZero();
            assertThat(learner.learner()).isTrue();
            assertThat(learner.peerUrls()).containsExactly(peer);
            assertThat(learner.name()).isEmpty();
            assertThat(learner.clientUrls()).isEmpty();
            assertThat(added.members()).hasSize(2).extracting(Member::id).contains(learner.id());

            MemberListResponse updated = result(cluster.memberUpdate(learner.id(), List.of("http://127.0.0.1:19")));
            assertThat(updated.members()).filteredOn(m -> m.id() == learner.id())
                    .singleElement().satisfies(m -> assertThat(m.peerUrls()).containsExactly("http://127.0.0.1:19"));

            // A learner that is not in sync cannot be promoted.
            Throwable notReady = catchThrowable(() -> result(cluster.memberPromote(learner.id())));
            assertThat(notReady).isInstanceOf(MemberException.class);
            assertThat(((EtcdException) notReady).error()).isEqualTo(EtcdError.LEARNER_NOT_READY);
        } finally {
            MemberListResponse removed = result(cluster.memberRemove(learner.id()));
            assertThat(removed.members()).hasSize(1);
        }
        Throwable gone = catchThrowable(() -> result(cluster.memberRemove(learner.id())));
        assertThat(gone).isInstanceOf(MemberException.class);
        assertThat(((EtcdException) gone).error()).isEqualTo(EtcdError.MEMBER_NOT_FOUND);
        // The cluster still serves writes.
        kv.put(key("after"), "v");
    }
}
