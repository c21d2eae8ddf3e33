package dev.etcdj.server.internal.rpc;

import com.google.protobuf.ByteString;
import dev.etcdj.proto.etcdserverpb.AlarmMember;
import dev.etcdj.proto.etcdserverpb.AlarmRequest;
import dev.etcdj.proto.etcdserverpb.AlarmResponse;
import dev.etcdj.proto.etcdserverpb.AlarmType;
import dev.etcdj.proto.etcdserverpb.DefragmentRequest;
import dev.etcdj.proto.etcdserverpb.DefragmentResponse;
import dev.etcdj.proto.etcdserverpb.HashKVRequest;
import dev.etcdj.proto.etcdserverpb.HashKVResponse;
import dev.etcdj.proto.etcdserverpb.HashRequest;
import dev.etcdj.proto.etcdserverpb.HashResponse;
import dev.etcdj.proto.etcdserverpb.MaintenanceGrpc;
import dev.etcdj.proto.etcdserverpb.MoveLeaderRequest;
import dev.etcdj.proto.etcdserverpb.MoveLeaderResponse;
import dev.etcdj.proto.etcdserverpb.SnapshotRequest;
import dev.etcdj.proto.etcdserverpb.SnapshotResponse;
import dev.etcdj.proto.etcdserverpb.StatusRequest;
import dev.etcdj.proto.etcdserverpb.StatusResponse;
import dev.etcdj.proto.internal.WireError;
import dev.etcdj.server.internal.EtcdException;
import dev.etcdj.server.internal.ServerCore;
import dev.etcdj.server.internal.storage.Backend;
import dev.etcdj.server.internal.snapshot.SnapshotExporter;
import io.grpc.Status;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;

/** etcdserverpb.Maintenance. */
public final class MaintenanceService extends MaintenanceGrpc.MaintenanceImplBase {
    static final int CHUNK = 32 * 1024;
    private final ServerCore core;

    public MaintenanceService(ServerCore core) {
        this.core = core;
    }

    @Override
    public void alarm(AlarmRequest r, StreamObserver<AlarmResponse> out) {
        Rpc.replyAsync(out, () -> {
            switch (r.getAction()) {
                case GET -> {
                    AlarmResponse.Builder b = AlarmResponse.newBuilder();
                    for (AlarmMember m : core.alarms().list()) {
                        if (r.getAlarm() == AlarmType.NONE || r.getAlarm() == m.getAlarm()) {
                            b.addAlarms(m);
                        }
                    }
                    return java.util.concurrent.CompletableFuture.completedFuture(b.build());
                }
                case ACTIVATE, DEACTIVATE -> {
                    if (r.getAlarm() == AlarmType.NONE || r.getAlarm() == AlarmType.UNRECOGNIZED) {
                        return java.util.concurrent.CompletableFuture.completedFuture(AlarmResponse.getDefaultInstance());
                    }
                    boolean activate = r.getAction() == AlarmRequest.AlarmAction.ACTIVATE;
                    return core.alarms().set(activate, r.getAlarm()).thenApply(changed -> {
                        AlarmResponse.Builder b = AlarmResponse.newBuilder();
                        if (changed) {
                            b.addAlarms(AlarmMember.newBuilder().setMemberID(core.memberId()).setAlarm(r.getAlarm()));
                        }
                        return b.build();
                    });
                }
                default -> throw Status.INVALID_ARGUMENT.withDescription("unknown alarm action").asRuntimeException();
            }
        });
    }

    @Override
    public void status(StatusRequest r, StreamObserver<StatusResponse> out) {
        Rpc.reply(out, () -> {
            StatusResponse.Builder b = StatusResponse.newBuilder().setHeader(core.header())
                    .setVersion(ServerCore.VERSION)
                    .setDbSize(core.backend().size())
                    .setDbSizeInUse(core.backend().sizeInUse())
                    .setLeader(core.memberId())
                    .setRaftIndex(core.appliedIndex())
                    .setRaftTerm(ServerCore.RAFT_TERM)
                    .setRaftAppliedIndex(core.appliedIndex());
            for (AlarmMember m : core.alarms().list()) {
                b.addErrors("memberID:" + Long.toUnsignedString(m.getMemberID()) + " alarm:" + m.getAlarm().name() + " ");
            }
            return b.build();
        });
    }

    @Override
    public void defragment(DefragmentRequest r, StreamObserver<DefragmentResponse> out) {
        Rpc.reply(out, () -> {
            core.defragment();
            return DefragmentResponse.getDefaultInstance();
        });
    }

    @Override
    public void hash(HashRequest r, StreamObserver<HashResponse> out) {
        Rpc.reply(out, () -> {
            long rev = core.store().currentRevision();
            int hash;
            try {
                hash = new SnapshotExporter(core).hash();
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
            return HashResponse.newBuilder().setHeader(core.header(rev)).setHash(hash).build();
        });
    }

    @Override
    public void hashKV(HashKVRequest r, StreamObserver<HashKVResponse> out) {
        Rpc.reply(out, () -> {
            long current = core.store().currentRevision();
            long compact = core.store().compactRevision();
            long rev = r.getRevision() == 0 ? current : r.getRevision();
            if (rev > current) {
                throw EtcdException.of(WireError.FUTURE_REV);
            }
            if (rev <= compact) {
                throw EtcdException.of(WireError.COMPACTED);
            }
            int hash = core.store().hashKV(rev);
            // etcd's compactMainRev starts at -1: a store never compacted reports -1, not 0.
            return HashKVResponse.newBuilder().setHeader(core.header(current)).setHash(hash)
                    .setCompactRevision(compact == 0 ? -1 : compact).build();
        });
    }

    /**
     * Streams the store as etcd does: an etcd 3.4 backend (a bbolt file, see {@link SnapshotExporter})
     * in 32 KiB chunks with remaining_bytes, then one message whose blob is the SHA-256 of
     * everything sent before.
     */
    @Override
    public void snapshot(SnapshotRequest r, StreamObserver<SnapshotResponse> responseObserver) {
        ServerCallStreamObserver<SnapshotResponse> out = (ServerCallStreamObserver<SnapshotResponse>) responseObserver;
        Path tmp = null;
        try {
            tmp = Files.createTempDirectory("etcdj-snap-");
            Path db = tmp.resolve("db");
            long total = new SnapshotExporter(core).writeDb(db);
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            long sent = 0;
            byte[] buf = new byte[CHUNK];
            try (InputStream in = Files.newInputStream(db)) {
                int n;
                while ((n = in.readNBytes(buf, 0, CHUNK)) > 0) {
                    // flow control: never buffer the whole snapshot for a slow reader. onReady callbacks
                    // are serialized behind this handler, so poll the transport state instead.
                    while (!out.isReady()) {
                        if (out.isCancelled()) {
                            return;
                        }
                        Thread.sleep(5);
                    }
                    if (out.isCancelled()) {
                        return;
                    }
                    sha.update(buf, 0, n);
                    sent += n;
                    // No header, as etcd 3.4 sends its snapshot chunks (visible through the JSON gateway).
                    out.onNext(SnapshotResponse.newBuilder()
                            .setRemainingBytes(total - sent).setBlob(ByteString.copyFrom(buf, 0, n)).build());
                }
            }
            out.onNext(SnapshotResponse.newBuilder().setRemainingBytes(0)
                    .setBlob(ByteString.copyFrom(sha.digest())).build());
            out.onCompleted();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            out.onError(io.grpc.Status.CANCELLED.withDescription("server stopped").asRuntimeException());
        } catch (IOException | java.security.NoSuchAlgorithmException | RuntimeException e) {
            out.onError(Rpc.toStatus(e));
        } finally {
            if (tmp != null) {
                Backend.deleteRecursively(tmp);
            }
        }
    }

    @Override
    public void moveLeader(MoveLeaderRequest r, StreamObserver<MoveLeaderResponse> out) {
        Rpc.reply(out, () -> {
            if (r.getTargetID() != core.memberId()) {
                throw EtcdException.of(WireError.BAD_LEADER_TRANSFEREE);
            }
            return MoveLeaderResponse.newBuilder().setHeader(core.header()).build();
        });
    }
}
