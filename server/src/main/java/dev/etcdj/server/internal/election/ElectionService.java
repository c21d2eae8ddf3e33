package dev.etcdj.server.internal.election;

import com.google.protobuf.ByteString;
import dev.etcdj.proto.etcdserverpb.RangeRequest;
import dev.etcdj.proto.etcdserverpb.RangeResponse;
import dev.etcdj.proto.etcdserverpb.ResponseHeader;
import dev.etcdj.proto.etcdserverpb.TxnRequest;
import dev.etcdj.proto.etcdserverpb.TxnResponse;
import dev.etcdj.proto.etcdserverpb.WatchCreateRequest;
import dev.etcdj.proto.etcdserverpb.WatchResponse;
import dev.etcdj.proto.internal.SerialExecutor;
import dev.etcdj.proto.internal.WireError;
import dev.etcdj.proto.mvccpb.Event;
import dev.etcdj.proto.mvccpb.KeyValue;
import dev.etcdj.proto.v3electionpb.CampaignRequest;
import dev.etcdj.proto.v3electionpb.CampaignResponse;
import dev.etcdj.proto.v3electionpb.ElectionGrpc;
import dev.etcdj.proto.v3electionpb.LeaderKey;
import dev.etcdj.proto.v3electionpb.LeaderRequest;
import dev.etcdj.proto.v3electionpb.LeaderResponse;
import dev.etcdj.proto.v3electionpb.ProclaimRequest;
import dev.etcdj.proto.v3electionpb.ProclaimResponse;
import dev.etcdj.proto.v3electionpb.ResignRequest;
import dev.etcdj.proto.v3electionpb.ResignResponse;
import dev.etcdj.server.internal.auth.Caller;
import dev.etcdj.server.internal.lock.CallerGone;
import dev.etcdj.server.internal.lock.LocalWatch;
import dev.etcdj.server.internal.lock.ServerKv;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * v3electionpb.Election with etcd's semantics (concurrency.Election on orphaned sessions): a
 * candidate's key is {@code name/<lease hex>} holding its value; the leader is the key with the
 * lowest create revision under {@code name/}. Proclaim and Resign act only while the key still has
 * the create revision the LeaderKey names.
 */
public final class ElectionService extends ElectionGrpc.ElectionImplBase {
    private static final Logger LOG = LoggerFactory.getLogger(ElectionService.class);

    private final ServerKv kv;

    public ElectionService(ServerKv kv) {
        this.kv = kv;
    }

    private static ByteString prefix(ByteString name) {
        return name.concat(ByteString.copyFromUtf8("/"));
    }

    @Override
    public void campaign(CampaignRequest r, StreamObserver<CampaignResponse> responseObserver) {
        CallerGone gone = new CallerGone(responseObserver);
        Caller caller = Caller.current();
        ServerKv.reply(responseObserver, () -> kv.sessionLease(caller, r.getLease()).thenCompose(lease -> {
            ByteString pfx = prefix(r.getName());
            ByteString key = pfx.concat(ByteString.copyFromUtf8(ServerKv.hex(lease)));
            TxnRequest txn = TxnRequest.newBuilder().addCompare(ServerKv.createRevision(key, 0))
                    .addSuccess(ServerKv.put(key, r.getValue(), lease))
                    .addFailure(ServerKv.get(RangeRequest.newBuilder().setKey(key).build())).build();
            return kv.txn(caller, txn).thenCompose(resp -> {
                LeaderKey.Builder leader = LeaderKey.newBuilder().setName(r.getName()).setKey(key).setLease(lease);
                CompletableFuture<Void> ready;
                if (resp.getSucceeded()) {
                    leader.setRev(resp.getHeader().getRevision());
                    ready = CompletableFuture.completedFuture(null);
                } else {
                    KeyValue kv0 = resp.getResponses(0).getResponseRange().getKvs(0);
                    leader.setRev(kv0.getCreateRevision());
                    ready = kv0.getValue().equals(r.getValue()) ? CompletableFuture.completedFuture(null)
                            : proclaim(caller, leader.build(), r.getValue()).thenApply(h -> (Void) null)
                                    .whenComplete((x, err) -> {
                                        if (err != null) {
                                            resign(caller, leader.build());
                                        }
                                    });
                }
                return ready.thenCompose(x -> waitLeadership(caller, gone, leader.build(), resp));
            });
        }));
    }

    private CompletableFuture<CampaignResponse> waitLeadership(Caller caller, CallerGone gone, LeaderKey leader,
            TxnResponse resp) {
        // a candidate that gives up withdraws, as etcd's Campaign does on context cancel
        return kv.waitDeletes(caller, prefix(leader.getName()), leader.getRev() - 1, gone, () -> resign(caller, leader))
                .thenApply(h -> CampaignResponse.newBuilder().setHeader(resp.getHeader()).setLeader(leader).build());
    }

    private CompletableFuture<ResponseHeader> proclaim(Caller caller, LeaderKey leader, ByteString value) {
        TxnRequest txn = TxnRequest.newBuilder().addCompare(ServerKv.createRevision(leader.getKey(), leader.getRev()))
                .addSuccess(ServerKv.put(leader.getKey(), value, leader.getLease())).build();
        return kv.txn(caller, txn).thenApply(t -> {
            if (!t.getSucceeded()) {
                throw WireError.ELECTION_NOT_LEADER.asException();
            }
            return t.getHeader();
        });
    }

    /** The request's leader key; etcd's "\"leader\" field must be provided" (the call's error) when it has none. */
    private static LeaderKey requiredLeader(boolean given, LeaderKey leader) {
        if (!given) {
            throw WireError.ELECTION_MISSING_LEADER.asException();
        }
        return leader;
    }

    private CompletableFuture<ResponseHeader> resign(Caller caller, LeaderKey leader) {
        TxnRequest txn = TxnRequest.newBuilder().addCompare(ServerKv.createRevision(leader.getKey(), leader.getRev()))
                .addSuccess(ServerKv.delete(leader.getKey())).build();
        return kv.txn(caller, txn).thenApply(TxnResponse::getHeader);
    }

    @Override
    public void proclaim(ProclaimRequest r, StreamObserver<ProclaimResponse> out) {
        Caller caller = Caller.current();
        ServerKv.reply(out, () -> proclaim(caller, requiredLeader(r.hasLeader(), r.getLeader()), r.getValue())
                .thenApply(h -> ProclaimResponse.newBuilder().setHeader(h).build()));
    }

    @Override
    public void resign(ResignRequest r, StreamObserver<ResignResponse> out) {
        Caller caller = Caller.current();
        ServerKv.reply(out, () -> resign(caller, requiredLeader(r.hasLeader(), r.getLeader()))
                .thenApply(h -> ResignResponse.newBuilder().setHeader(h).build()));
    }

    @Override
    public void leader(LeaderRequest r, StreamObserver<LeaderResponse> out) {
        Caller caller = Caller.current();
        ServerKv.reply(out, () -> {
            RangeResponse resp = kv.range(caller, ServerKv.firstCreate(prefix(r.getName())));
            if (resp.getKvsCount() == 0) {
                throw WireError.ELECTION_NO_LEADER.asException();
            }
            return CompletableFuture.completedFuture(
                    LeaderResponse.newBuilder().setHeader(resp.getHeader()).setKv(resp.getKvs(0)).build());
        });
    }

    /**
     * Streams the leader: the current one (if any), each new value it proclaims, and whoever
     * leads next once it resigns or its lease ends. Runs as one prefix watch whose events are
     * replayed in order against etcd's observe loop.
     */
    @Override
    public void observe(LeaderRequest r, StreamObserver<LeaderResponse> responseObserver) {
        ServerCallStreamObserver<LeaderResponse> out = (ServerCallStreamObserver<LeaderResponse>) responseObserver;
        Caller caller = Caller.current();
        ByteString pfx = prefix(r.getName());
        Observer obs = new Observer(caller, out, pfx);
        out.setOnCancelHandler(obs::stop);
        kv.executor().execute(obs::start);
    }

    private final class Observer {
        private final Caller caller;
        private final ServerCallStreamObserver<LeaderResponse> out;
        private final ByteString pfx;
        private final SerialExecutor serial;
        private LocalWatch watch;
        private ByteString leaderKey;
        private boolean stopped;

        Observer(Caller caller, ServerCallStreamObserver<LeaderResponse> out, ByteString pfx) {
            this.caller = caller;
            this.out = out;
            this.pfx = pfx;
            this.serial = new SerialExecutor(kv.executor(), "election observer");
        }

        void start() {
            RangeResponse resp = leaderAsOf(0);
            if (resp == null) {
                return;
            }
            WatchCreateRequest wr = WatchCreateRequest.newBuilder().setKey(pfx).setRangeEnd(ServerKv.prefixEnd(pfx))
                    .setStartRevision(resp.getHeader().getRevision() + 1).build();
            synchronized (this) {
                if (stopped) {
                    return;
                }
                watch = kv.watch(wr, serial, this::onEvents, this::fail);
            }
        }

        private void onEvents(WatchResponse wr) {
            for (Event ev : wr.getEventsList()) {
                KeyValue k = ev.getKv();
                if (leaderKey == null) {
                    if (ev.getType() == Event.EventType.PUT) {
                        leaderKey = k.getKey();
                        send(wr.getHeader().toBuilder().setRevision(k.getModRevision()).build(), k);
                    }
                } else if (k.getKey().equals(leaderKey)) {
                    if (ev.getType() == Event.EventType.PUT) {
                        send(wr.getHeader(), k);
                    } else {
                        nextLeader(k.getModRevision());
                    }
                }
            }
        }

        /** After the leader's key is deleted at {@code rev}: who leads as of that revision. */
        private void nextLeader(long rev) {
            leaderKey = null;
            leaderAsOf(rev);
        }

        /**
         * Reads who leads as of {@code rev} (0 = now) and sends the leader when there is one; null
         * when the read failed (the observation has then failed with its error).
         */
        private RangeResponse leaderAsOf(long rev) {
            RangeResponse resp;
            try {
                resp = kv.range(caller, ServerKv.firstCreate(pfx).toBuilder().setRevision(rev).build());
            } catch (RuntimeException e) {
                fail(e);
                return null;
            }
            if (resp.getKvsCount() > 0) {
                leaderKey = resp.getKvs(0).getKey();
                send(resp.getHeader(), resp.getKvs(0));
            }
            return resp;
        }

        private void send(ResponseHeader h, KeyValue k) {
            synchronized (this) {
                if (stopped) {
                    return;
                }
                try {
                    out.onNext(LeaderResponse.newBuilder().setHeader(h).setKv(k).build());
                } catch (IllegalStateException | StatusRuntimeException e) {
                    stop();
                }
            }
        }

        private void fail(Throwable t) {
            synchronized (this) {
                if (stopped) {
                    return;
                }
                stop();
                // etcd 3.4's Observe closes its channel when its own get or watch fails (a refused
                // token or permission included) and the RPC then ends with OK and no message; so do we.
                LOG.debug("election observe of {} ends: {}", pfx.toStringUtf8(),
                        t instanceof CompletionException && t.getCause() != null ? t.getCause() : t);
                try {
                    out.onCompleted();
                } catch (IllegalStateException callClosed) {
                    // The call has ended already (grpc refuses a second close): nothing more reaches the client.
                }
            }
        }

        synchronized void stop() {
            stopped = true;
            if (watch != null) {
                watch.close();
                watch = null;
            }
        }
    }
}
