package dev.etcdj.server.internal;

import dev.etcdj.proto.etcdserverpb.ResponseHeader;
import dev.etcdj.server.internal.apply.Applier;
import dev.etcdj.server.internal.apply.Proposals;
import dev.etcdj.server.internal.auth.AuthGuard;
import dev.etcdj.server.internal.auth.AuthService;
import dev.etcdj.server.internal.auth.AuthStore;
import dev.etcdj.server.internal.auth.Authorizer;
import dev.etcdj.server.internal.election.ElectionService;
import dev.etcdj.server.internal.kv.Compactor;
import dev.etcdj.server.internal.kv.KvLayer;
import dev.etcdj.server.internal.lease.Lessor;
import dev.etcdj.server.internal.lock.LockService;
import dev.etcdj.server.internal.lock.ServerKv;
import dev.etcdj.server.internal.mvcc.KvOps;
import dev.etcdj.server.internal.mvcc.MvccStore;
import dev.etcdj.server.internal.rpc.ClusterService;
import dev.etcdj.server.internal.rpc.KvService;
import dev.etcdj.server.internal.rpc.LeaseService;
import dev.etcdj.server.internal.rpc.MaintenanceService;
import dev.etcdj.server.internal.rpc.WatchService;
import dev.etcdj.server.internal.storage.Backend;
import dev.etcdj.server.internal.watch.WatchHub;
import dev.etcdj.server.internal.rpc.AuthInterceptor;
import io.grpc.BindableService;
import io.grpc.ServerInterceptors;
import io.grpc.ServerServiceDefinition;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.rocksdb.RocksDBException;
import org.rocksdb.WriteBatch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The composition root: builds storage, MVCC, the apply pipeline, leases, watches, alarms, auth
 * and the KV layer once, hands each service exactly the collaborators it uses, and starts and
 * stops them in order. Nothing reaches through this class at run time except the Maintenance
 * service (which reads storage, store and alarms from here).
 */
public final class ServerCore implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ServerCore.class);

    public static final long RAFT_TERM = Headers.RAFT_TERM;
    public static final String VERSION = "3.4.23";

    private final ServerConfig config;
    private final Backend backend;
    private final MvccStore store;
    private final Applier applier;
    private final Proposals proposals;
    private final Headers headers;
    private final Alarms alarms;
    private final Membership membership;
    private final Lessor lessor;
    private final WatchHub watchHub;
    private final Compactor compactor;
    private final AuthStore authStore;
    private final Authorizer authorizer;
    private final KvLayer kv;

    public ServerCore(ServerConfig config) {
        this.config = config;
        long t0 = System.nanoTime();
        this.backend = config.dataDir() == null ? Backend.openTemporary() : Backend.open(config.dataDir());
        try {
            long memberId = idMeta("memberId");
            long clusterId = idMeta("clusterId");
            long t1 = System.nanoTime();
            this.store = new MvccStore(backend);
            long t2 = System.nanoTime();
            this.headers = new Headers(clusterId, memberId, store);
            this.watchHub = new WatchHub(store, headers::at, config.maxRequestBytes(),
                    config.progressNotifyInterval().toMillis());
            this.applier = new Applier(backend, store, watchHub::notify, failure -> watchHub.cancelAll(),
                    this::afterGroup);
            this.proposals = new Proposals(applier, backend);
            this.alarms = new Alarms(backend, proposals, memberId, config.quotaBackendBytes());
            this.membership = new Membership(backend, proposals, config.name(), memberId, config.peerUrls());
            this.lessor = new Lessor(backend, store, applier, new Lessor.Proposer() {
                @Override
                public <T> CompletableFuture<T> propose(Applier.Mutation<T> m) {
                    return proposals.propose(m);
                }
            }, memberId, hooks -> new KvOps(store, hooks));
            long t3 = System.nanoTime();
            this.compactor = new Compactor(store, proposals, alarms);
            this.authStore = new AuthStore(backend, config.auth().tokenTtlSeconds() > 0 ? config.auth().tokenTtlSeconds()
                    : AuthStore.tokenTtlSecondsFromProperty(), config.auth().token(), config.auth().bcryptCost());
            this.authorizer = new AuthGuard(authStore, lessor);
            this.kv = new KvLayer(authorizer, lessor.kv(), store, proposals, alarms, compactor, headers,
                    config.maxTxnOps(), config.maxRequestBytes());
            if (config.dataDir() != null) {
                // Where a restart spends its time (the key index grows with the data; the rest should not).
                LOG.atInfo().addKeyValue("keys", store.keyCount()).addKeyValue("revision", store.currentRevision())
                        .addKeyValue("leases", lessor.leaseCount())
                        .addKeyValue("open-ms", millis(t0, t1)).addKeyValue("key-index-ms", millis(t1, t2))
                        .addKeyValue("leases-ms", millis(t2, t3)).addKeyValue("total-ms", millis(t0, System.nanoTime()))
                        .log("recovered the store");
            }
        } catch (RuntimeException e) {
            backend.close();
            throw e;
        }
    }

    private static long millis(long fromNanos, long toNanos) {
        return (toNanos - fromNanos) / 1_000_000;
    }

    private long idMeta(String name) {
        long v = backend.getMetaLong(name, 0);
        if (v == 0) {
            SecureRandom rnd = new SecureRandom();
            do {
                v = rnd.nextLong();
            } while (v == 0);
            try (WriteBatch b = new WriteBatch()) {
                b.put(Backend.metaKey(name), Backend.longBytes(v));
                backend.write(b, true);
            } catch (RocksDBException e) {
                throw new IllegalStateException(e);
            }
        }
        return v;
    }

    public void start() {
        applier.start();
        lessor.start();
        alarms.remeasure();
        if (config.autoCompactionRevisions() > 0) {
            compactor.startRevision(config.autoCompactionRevisions(), Compactor.REVISION_INTERVAL);
        } else if (config.autoCompactionRetention().toMillis() > 0) {
            compactor.startPeriodic(config.autoCompactionRetention());
        }
    }

    private void afterGroup() {
        alarms.remeasure();
    }

    /**
     * Every gRPC service of the server, wired explicitly (there is no plug-in discovery: a service
     * missing here does not exist), each already behind the {@link AuthInterceptor}: there is no
     * way to get one from here that skips the permission checks.
     *
     * @param clientUrls the advertised client URLs, for MemberList (known only once listeners are bound)
     */
    public List<ServerServiceDefinition> grpcServices(Supplier<List<String>> clientUrls) {
        boolean certificateUsers = config.tls() != null && config.tls().clientCertAuth();
        AuthInterceptor edge = new AuthInterceptor(authorizer, certificateUsers);
        List<ServerServiceDefinition> out = new ArrayList<>();
        for (BindableService svc : services(clientUrls)) {
            out.add(ServerInterceptors.intercept(svc, edge));
        }
        return out;
    }

    /** The services themselves, not yet behind the auth interceptor. */
    List<BindableService> services(Supplier<List<String>> clientUrls) {
        ServerKv serverKv = new ServerKv(kv, lessor, alarms, authorizer, watchHub);
        return List.of(
                new KvService(kv),
                new WatchService(watchHub, authorizer),
                new LeaseService(lessor, alarms, headers),
                new ClusterService(membership, headers, clientUrls),
                new MaintenanceService(this),
                new AuthService(authStore, proposals, headers),
                new LockService(serverKv),
                new ElectionService(serverKv));
    }

    /** The permission checks every service and the gRPC edge share. */
    public Authorizer authorizer() {
        return authorizer;
    }

    /** The KV service layer (gRPC KV, Lock, Election and the HTTP gateway all go through it). */
    public KvLayer kv() {
        return kv;
    }

    /**
     * Flushes and compacts the whole store, then measures it again for the quota at once: a
     * defragment frees space outside the apply thread, and the next put must see that.
     */
    public void defragment() {
        backend.compactAll();
        alarms.remeasure();
    }

    // ---------------------------------------------------------------- for MaintenanceService and EtcdServer

    public ServerConfig config() {
        return config;
    }

    public Backend backend() {
        return backend;
    }

    public MvccStore store() {
        return store;
    }

    public ResponseHeader header() {
        return headers.current();
    }

    public ResponseHeader header(long revision) {
        return headers.at(revision);
    }

    public Alarms alarms() {
        return alarms;
    }

    public Compactor compactor() {
        return compactor;
    }

    /** This member and the learner it may list (for the snapshot's members bucket). */
    public Membership membership() {
        return membership;
    }

    public long memberId() {
        return headers.memberId();
    }

    public long clusterId() {
        return headers.clusterId();
    }

    public long appliedIndex() {
        return proposals.appliedIndex();
    }

    /** Writes waiting for the apply thread (etcd's pending proposals). */
    public int pendingProposals() {
        return applier.pending();
    }

    @Override
    public void close() {
        lessor.close();
        watchHub.close();
        try {
            if (!backend.isClosed()) {
                lessor.checkpoint().get(5, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Exception e) {
            // the last periodic checkpoint stays: leases lose at most 5 s of countdown
            LOG.atWarn().setCause(e).log("failed to checkpoint lease TTLs at close");
        }
        applier.close();
        compactor.close();
        backend.close();
    }
}
