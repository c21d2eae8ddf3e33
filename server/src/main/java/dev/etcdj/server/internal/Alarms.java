package dev.etcdj.server.internal;

import dev.etcdj.proto.etcdserverpb.AlarmMember;
import dev.etcdj.proto.etcdserverpb.AlarmType;
import dev.etcdj.proto.internal.WireError;
import dev.etcdj.server.internal.apply.Proposals;
import dev.etcdj.server.internal.storage.Backend;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentSkipListSet;

/**
 * This member's alarms (NOSPACE, CORRUPT), persisted in the {@code 'a'} key space, and the gates
 * they put in front of writes: the backend quota (etcd's --quota-backend-bytes) and the corrupt
 * check every write makes.
 */
public final class Alarms {
    private final Backend backend;
    private final Proposals proposals;
    private final long memberId;
    private final long quotaBytes;
    private final Set<Integer> active = new ConcurrentSkipListSet<>();
    private volatile long quotaSize;

    public Alarms(Backend backend, Proposals proposals, long memberId, long quotaBytes) {
        this.backend = backend;
        this.proposals = proposals;
        this.memberId = memberId;
        this.quotaBytes = quotaBytes;
        backend.scan(new byte[] {Backend.ALARM}, null, (k, v) -> {
            active.add((int) k[9]);
            return true;
        });
        this.quotaSize = backend.sizeInUse();
    }

    /**
     * Measures the store again for the quota. Called after every applied group and after a
     * defragment (which frees space outside the apply thread: the next put must see that).
     */
    public void remeasure() {
        quotaSize = backend.sizeInUse();
    }

    /** CORRUPT makes every write fail, like etcd's applierV3Corrupt. */
    public void checkCorrupt() {
        if (active.contains(AlarmType.CORRUPT_VALUE)) {
            throw EtcdException.of(WireError.CORRUPT);
        }
    }

    /** Throws NOSPACE if the alarm is active or the request would exceed the quota (then raises it). */
    public void checkQuota(int cost) {
        checkCorrupt();
        if (active.contains(AlarmType.NOSPACE_VALUE)) {
            throw EtcdException.of(WireError.NO_SPACE);
        }
        if (quotaBytes > 0 && quotaSize + cost > quotaBytes) {
            active.add(AlarmType.NOSPACE_VALUE); // effective at once for every later request
            set(true, AlarmType.NOSPACE); // and persisted
            throw EtcdException.of(WireError.NO_SPACE);
        }
    }

    /** Activates or deactivates an alarm for this member; completes with whether it changed. */
    public CompletableFuture<Boolean> set(boolean activate, AlarmType type) {
        return proposals.propose(ctx -> {
            byte[] k = new byte[10];
            k[0] = Backend.ALARM;
            Backend.putLong(k, 1, memberId);
            k[9] = (byte) type.getNumber();
            boolean changed;
            if (activate) {
                changed = active.add(type.getNumber());
                Backend.put(ctx.batch(), k, new byte[] {1});
            } else {
                changed = active.remove(type.getNumber());
                Backend.delete(ctx.batch(), k);
            }
            return changed;
        });
    }

    public List<AlarmMember> list() {
        List<AlarmMember> out = new ArrayList<>();
        for (int a : active) {
            out.add(AlarmMember.newBuilder().setMemberID(memberId).setAlarmValue(a).build());
        }
        return out;
    }
}
