package dev.etcdj.client.internal.maintenance;

import com.google.common.util.concurrent.ListenableFuture;
import com.google.common.util.concurrent.MoreExecutors;
import com.google.common.util.concurrent.SettableFuture;
import dev.etcdj.client.AlarmMember;
import dev.etcdj.client.AlarmResponse;
import dev.etcdj.client.DowngradeAction;
import dev.etcdj.client.DowngradeResponse;
import dev.etcdj.client.EtcdException;
import dev.etcdj.client.HashKvResponse;
import dev.etcdj.client.HashResponse;
import dev.etcdj.client.MaintenanceClient;
import dev.etcdj.client.MoveLeaderResponse;
import dev.etcdj.client.StatusResponse;
import dev.etcdj.client.internal.Errors;
import dev.etcdj.client.internal.ProtoConvert;
import dev.etcdj.client.internal.ServiceView;
import dev.etcdj.client.internal.Transport;
import dev.etcdj.proto.etcdserverpb.AlarmRequest;
import dev.etcdj.proto.etcdserverpb.AlarmType;
import dev.etcdj.proto.etcdserverpb.DefragmentRequest;
import dev.etcdj.proto.etcdserverpb.DowngradeRequest;
import dev.etcdj.proto.etcdserverpb.HashKVRequest;
import dev.etcdj.proto.etcdserverpb.HashRequest;
import dev.etcdj.proto.etcdserverpb.MaintenanceGrpc;
import dev.etcdj.proto.etcdserverpb.MoveLeaderRequest;
import dev.etcdj.proto.etcdserverpb.SnapshotRequest;
import dev.etcdj.proto.etcdserverpb.SnapshotResponse;
import dev.etcdj.proto.etcdserverpb.StatusRequest;
import io.grpc.CallOptions;
import io.grpc.Channel;
import io.grpc.ClientCall;
import io.grpc.Metadata;
import io.grpc.MethodDescriptor;
import io.grpc.Status;
import java.io.IOException;
import java.io.OutputStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/** {@link MaintenanceClient} over etcd's Maintenance service. */
public final class MaintenanceClientImpl extends ServiceView<MaintenanceClient> implements MaintenanceClient {

    /**
     * A snapshot of a large database takes far longer than an ordinary request; a dead or hung
     * member is noticed sooner by the connection's keep-alive pings, so this only bounds the worst
     * case. A {@code withTimeout} view's deadline replaces it.
     */
    static final Duration SNAPSHOT_TIMEOUT = Duration.ofHours(1);

    public MaintenanceClientImpl(Transport transport) {
        super(transport, MaintenanceClientImpl::new);
    }

    @Override
    public CompletableFuture<StatusResponse> status(String endpoint) {
        return on(endpoint, MaintenanceGrpc.getStatusMethod(), StatusRequest.getDefaultInstance())
                .thenApply(r -> new StatusResponse(ProtoConvert.header(r.getHeader()), r.getVersion(), r.getDbSize(),
                        r.getDbSizeInUse(), r.getLeader(), r.getRaftIndex(), r.getRaftTerm(), r.getRaftAppliedIndex(),
                        r.getErrorsList(), r.getIsLearner()));
    }

    @Override
    public CompletableFuture<Void> defragment(String endpoint) {
        return on(endpoint, MaintenanceGrpc.getDefragmentMethod(), DefragmentRequest.getDefaultInstance())
                .thenApply(r -> null);
    }

    @Override
    public CompletableFuture<HashResponse> hash(String endpoint) {
        return on(endpoint, MaintenanceGrpc.getHashMethod(), HashRequest.getDefaultInstance())
                .thenApply(r -> new HashResponse(ProtoConvert.header(r.getHeader()),
                        Integer.toUnsignedLong(r.getHash())));
    }

    @Override
    public CompletableFuture<HashKvResponse> hashKv(String endpoint, long revision) {
        HashKVRequest req = HashKVRequest.newBuilder().setRevision(revision).build();
        return on(endpoint, MaintenanceGrpc.getHashKVMethod(), req)
                .thenApply(r -> new HashKvResponse(ProtoConvert.header(r.getHeader()),
                        Integer.toUnsignedLong(r.getHash()), r.getCompactRevision()));
    }

    @Override
    public CompletableFuture<AlarmResponse> alarmList() {
        AlarmRequest req = AlarmRequest.newBuilder().setAction(AlarmRequest.AlarmAction.GET)
                .setAlarm(AlarmType.NONE).build();
        return alarm(req);
    }

    @Override
    public CompletableFuture<AlarmResponse> alarmDisarm(AlarmMember alarm) {
        AlarmRequest req = AlarmRequest.newBuilder().setAction(AlarmRequest.AlarmAction.DEACTIVATE)
                .setMemberID(alarm.memberId()).setAlarm(alarmType(alarm.type())).build();
        return alarm(req);
    }

    @Override
    public CompletableFuture<Long> snapshot(String endpoint, OutputStream out) {
        Objects.requireNonNull(out);
        return transport.unaryOn(endpoint, waitTimeout(SNAPSHOT_TIMEOUT), (ch, opts) -> startSnapshot(ch, opts, out));
    }

    @Override
    public CompletableFuture<MoveLeaderResponse> moveLeader(long targetMemberId) {
        MoveLeaderRequest req = MoveLeaderRequest.newBuilder().setTargetID(targetMemberId).build();
        // Only the leader can hand over leadership; any other member answers "not leader".
        return StatusProbe.leaderEndpoint(transport)
                .thenCompose(leader -> on(leader, MaintenanceGrpc.getMoveLeaderMethod(), req))
                .thenApply(r -> new MoveLeaderResponse(ProtoConvert.header(r.getHeader())));
    }

    @Override
    public CompletableFuture<DowngradeResponse> downgrade(DowngradeAction action, String version) {
        DowngradeRequest req = DowngradeRequest.newBuilder()
                .setAction(DowngradeRequest.DowngradeAction.forNumber(Objects.requireNonNull(action, "action").ordinal()))
                .setVersion(Objects.requireNonNull(version, "version")).build();
        CompletableFuture<DowngradeResponse> answer = transport.unary(null, false,
                        Transport.UnaryCall.of(MaintenanceGrpc.getDowngradeMethod(), req))
                .thenApply(r -> new DowngradeResponse(ProtoConvert.header(r.getHeader()), r.getVersion()));
        return Errors.needsVersion(answer, "Maintenance/Downgrade", "3.5");
    }

    /**
     * Runs the server-streaming Snapshot call, writing each chunk to {@code out} as it arrives. The
     * writes happen on a thread of this snapshot's own (never a network thread, since {@code out}
     * may block), and the next chunk is only requested once the previous one is written, so a slow
     * output slows the server down instead of filling memory.
     */
    private ListenableFuture<Long> startSnapshot(Channel channel, CallOptions options, OutputStream out) {
        ExecutorService writer = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "etcdj-snapshot-writer");
            t.setDaemon(true);
            return t;
        });
        SettableFuture<Long> result = SettableFuture.create();
        SnapshotSink sink = new SnapshotSink(out);
        ClientCall<SnapshotRequest, SnapshotResponse> call;
        try {
            call = channel.newCall(MaintenanceGrpc.getSnapshotMethod(), options.withExecutor(writer));
            ClientCall<SnapshotRequest, SnapshotResponse> c = call;
            call.start(new ClientCall.Listener<>() {
                @Override
                public void onMessage(SnapshotResponse message) {
                    if (result.isDone()) {
                        return;
                    }
                    try {
                        sink.accept(message.getBlob().toByteArray());
                        c.request(1);
                    } catch (IOException | RuntimeException e) {
                        // The caller's stream failed, not etcd: say so, and stop the server sending.
                        result.setException(new EtcdException(EtcdException.Code.UNKNOWN,
                                "cannot write the snapshot: " + e, e));
                        c.cancel("snapshot output failed", e);
                    }
                }

                @Override
                public void onClose(Status status, Metadata trailers) {
                    try {
                        if (!status.isOk() && sink.written() > 0) {
                            // Typed now, not as a gRPC status: the transport would retry an unavailable
                            // member, and a second snapshot appended to the first one's bytes is garbage.
                            EtcdException cause = transport.toEtcdException(status.asRuntimeException(trailers));
                            result.setException(new EtcdException(cause.code(), "snapshot broken off after "
                                    + sink.written() + " bytes were written: " + cause.getMessage(), cause));
                        } else if (!status.isOk()) {
                            result.setException(status.asRuntimeException(trailers));
                        } else if (!result.isDone()) {
                            result.set(sink.finish());
                        }
                    } catch (IOException e) {
                        result.setException(new EtcdException(EtcdException.Code.UNKNOWN,
                                "cannot write the snapshot: " + e.getMessage(), e));
                    } catch (RuntimeException e) {
                        result.setException(e);
                    } finally {
                        writer.shutdown();
                    }
                }
            }, new Metadata());
            call.sendMessage(SnapshotRequest.getDefaultInstance());
            call.halfClose();
            call.request(1);
        } catch (RuntimeException e) {
            writer.shutdown();
            result.setException(e);
            return result;
        }
        ClientCall<SnapshotRequest, SnapshotResponse> started = call;
        result.addListener(() -> {
            if (result.isCancelled()) {
                started.cancel("snapshot cancelled", null);
            }
        }, MoreExecutors.directExecutor());
        return result;
    }

    /** A call to one member, no failover: the answer is about that member. */
    private <Q, R> CompletableFuture<R> on(String endpoint, MethodDescriptor<Q, R> method, Q request) {
        return transport.unaryOn(endpoint, null, Transport.UnaryCall.of(method, request));
    }

    /** Listing and disarming both leave the same state when repeated, so either may go to another member. */
    private CompletableFuture<AlarmResponse> alarm(AlarmRequest request) {
        return transport.unary(null, true, Transport.UnaryCall.of(MaintenanceGrpc.getAlarmMethod(), request))
                .thenApply(MaintenanceClientImpl::alarms);
    }


    private static AlarmResponse alarms(dev.etcdj.proto.etcdserverpb.AlarmResponse r) {
        List<AlarmMember> alarms = new ArrayList<>(r.getAlarmsCount());
        for (dev.etcdj.proto.etcdserverpb.AlarmMember a : r.getAlarmsList()) {
            alarms.add(new AlarmMember(a.getMemberID(), alarmType(a.getAlarm())));
        }
        return new AlarmResponse(ProtoConvert.header(r.getHeader()), alarms);
    }

    static AlarmMember.Type alarmType(AlarmType t) {
        return switch (t) {
            case NOSPACE -> AlarmMember.Type.NOSPACE;
            case CORRUPT -> AlarmMember.Type.CORRUPT;
            // An alarm type newer than this client: report it as NONE rather than fail the listing.
            default -> AlarmMember.Type.NONE;
        };
    }

    static AlarmType alarmType(AlarmMember.Type t) {
        return switch (t) {
            case NONE -> AlarmType.NONE;
            case NOSPACE -> AlarmType.NOSPACE;
            case CORRUPT -> AlarmType.CORRUPT;
        };
    }
}
