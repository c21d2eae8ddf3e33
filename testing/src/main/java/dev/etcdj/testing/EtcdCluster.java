package dev.etcdj.testing;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;

/**
 * A real etcd cluster of N members (default 3) on loopback, each with its own ports and temp
 * data dir, bootstrapped statically with a cluster token unique to this cluster.
 *
 * <pre>{@code
 * try (EtcdCluster cluster = EtcdCluster.builder().size(3).build()) {
 *     cluster.start();
 *     int leader = cluster.awaitLeader(Duration.ofSeconds(10));
 *     cluster.member(leader).kill();
 *     int next = cluster.awaitLeader(Duration.ofSeconds(10));
 * }
 * }</pre>
 *
 * <p>With {@link Builder#peerProxies(boolean) peerProxies(true)} every member advertises a
 * {@link FaultProxy} in front of its peer port as its peer URL, so all raft traffic between members
 * passes through proxies: {@link #isolate(int)} cuts a member off from its peers (its clients still
 * reach it), {@link #cutPeerLink(int, int)} drops one direction between two members, and
 * {@link #healPeers()} lifts both; the proxies' other faults work on peer traffic too.
 *
 * <p>Members are ordinary {@link EtcdProcess} handles: kill, stop, restart, pause and resume them
 * one at a time. A member restarted alone needs a quorum of the others to become healthy; to bring
 * back a cluster that is entirely down, use {@link #start()} or {@link #restart()}, which start all
 * members first and wait for health after.
 */
public final class EtcdCluster implements EtcdTarget {
    private static final int START_ATTEMPTS = 3;
    private static final Duration STATUS_TIMEOUT = Duration.ofSeconds(1);

    private final int size;
    private final String namePrefix;
    private final List<String> args;
    private final Duration startTimeout;
    private final boolean peerProxies;
    private List<EtcdProcess> members = List.of();
    private List<FaultProxy> proxies = List.of();
    private final Map<Integer, String> memberIds = new ConcurrentHashMap<>();
    private boolean started;
    private boolean closed;

    private EtcdCluster(Builder b) {
        this.size = b.size;
        this.namePrefix = b.namePrefix;
        this.args = List.copyOf(b.args);
        this.startTimeout = b.startTimeout;
        this.peerProxies = b.peerProxies;
    }

    public static Builder builder() {
        return new Builder();
    }

    @Override
    public String name() {
        return "etcd-cluster";
    }

    @Override
    public boolean isRealEtcd() {
        return true;
    }

    /**
     * First call: creates and starts all members and waits until every one is healthy (which in
     * etcd implies an elected leader). A first start that loses a port to another process is
     * retried on fresh ports. Later calls start every member that is not running.
     */
    @Override
    public synchronized void start() {
        if (closed) {
            throw new IllegalStateException("cluster is closed");
        }
        if (started) {
            startStopped();
            return;
        }
        for (int attempt = 1; ; attempt++) {
            members = createMembers();
            try {
                startStopped();
                started = true;
                if (peerProxies) {
                    for (int i = 0; i < size; i++) {
                        memberId(i); // known while every member runs, for faults on members that later do not
                    }
                }
                return;
            } catch (EtcdProcessException e) {
                boolean portTaken = members.stream().anyMatch(m -> m.logTail(20).contains("address already in use"));
                members.forEach(EtcdProcess::close);
                members = List.of();
                closeProxies();
                if (!portTaken || attempt >= START_ATTEMPTS) {
                    throw e;
                }
            }
        }
    }

    /** Stops every member gracefully, then starts them all again on the same ports and data. */
    @Override
    public synchronized void restart() {
        requireStarted();
        members.forEach(EtcdProcess::stop);
        startStopped();
    }

    /** SIGKILLs every member. */
    @Override
    public synchronized void kill() {
        members.forEach(EtcdProcess::kill);
    }

    /** Stops every member gracefully (SIGTERM, then SIGKILL after the timeout). */
    public synchronized void stop() {
        members.forEach(EtcdProcess::stop);
    }

    /** Stops every member and deletes their temp dirs. Idempotent. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        RuntimeException first = null;
        for (EtcdProcess m : members) {
            try {
                m.close();
            } catch (RuntimeException e) {
                // Keep going: one member failing to stop must not leave the others running.
                if (first == null) {
                    first = e;
                } else {
                    first.addSuppressed(e);
                }
            }
        }
        closeProxies();
        if (first != null) {
            throw first;
        }
    }

    /** The first member's client URL. */
    @Override
    public String endpoint() {
        return endpoints().get(0);
    }

    @Override
    public synchronized List<String> endpoints() {
        requireStarted();
        return members.stream().map(EtcdProcess::endpoint).collect(Collectors.toUnmodifiableList());
    }

    public int size() {
        return size;
    }

    /** Member {@code i} (0-based). */
    public synchronized EtcdProcess member(int i) {
        requireStarted();
        return members.get(i);
    }

    public synchronized List<EtcdProcess> members() {
        requireStarted();
        return Collections.unmodifiableList(members);
    }

    /** The fault proxy every other member reaches member {@code i}'s peer port through. */
    public synchronized FaultProxy peerProxy(int i) {
        requireStarted();
        if (proxies.isEmpty()) {
            throw new IllegalStateException("built without peerProxies(true)");
        }
        return proxies.get(i);
    }

    /**
     * Cuts member {@code i} off from every other member, both ways: nothing it sends reaches them,
     * nothing they send reaches it. Its client port still answers (a partitioned member, as clients
     * see it). {@link #healPeers()} lifts it; bytes held meanwhile are delivered then, as TCP would.
     */
    public void isolate(int i) {
        peerProxy(i).blackhole(true);
        for (int j = 0; j < size; j++) {
            if (j != i) {
                peerProxy(j).blackholeFrom(memberId(i));
            }
        }
    }

    /**
     * A one-way partition: raft messages from member {@code from} no longer reach member {@code to};
     * the other direction keeps working. etcd carries {@code from}'s messages to {@code to} on the
     * streams {@code to} opened to {@code from} (the answers) and on the requests {@code from} sends to
     * {@code to}; both are held.
     */
    public void cutPeerLink(int from, int to) {
        if (from == to) {
            throw new IllegalArgumentException("a member has no link to itself: " + from);
        }
        peerProxy(from).blackholeFrom(memberId(to), FaultProxy.Direction.TO_CLIENT);
        peerProxy(to).blackholeFrom(memberId(from), FaultProxy.Direction.TO_UPSTREAM);
    }

    /** Lifts every peer partition made by {@link #isolate} and {@link #cutPeerLink}. */
    public void healPeers() {
        for (int i = 0; i < size; i++) {
            peerProxy(i).blackhole(false);
        }
    }

    /** Member {@code i}'s id in hex, as etcd writes it in its peer requests' X-Server-From header. */
    public String memberId(int i) {
        String known = memberIds.get(i);
        if (known != null) {
            return known;
        }
        EtcdProcess m = member(i);
        String id = EtcdHttp.status(m.endpoint(), Duration.ofSeconds(5))
                .map(s -> Long.toHexString(Long.parseUnsignedLong(s.memberId())))
                .orElseThrow(() -> new EtcdProcessException("member " + i + " did not say its id: " + m));
        memberIds.put(i, id);
        return id;
    }

    /**
     * The index of the member that is leader right now, or -1 if none is.
     *
     * <p>Asks each running, unpaused member for its status on etcd's JSON gateway and takes a member
     * that names itself as leader. A deposed leader that has not yet noticed (e.g. just resumed
     * from a pause) can briefly claim the same; the higher raft term wins, as it does in raft.
     */
    public int leaderIndex() {
        List<EtcdProcess> snapshot;
        synchronized (this) {
            requireStarted();
            snapshot = List.copyOf(members);
        }
        int leader = -1;
        long leaderTerm = -1;
        for (int i = 0; i < snapshot.size(); i++) {
            EtcdProcess m = snapshot.get(i);
            if (!m.isRunning() || m.isPaused()) {
                continue;
            }
            Optional<EtcdHttp.Status> status = EtcdHttp.status(m.endpoint(), STATUS_TIMEOUT);
            if (status.isPresent() && status.get().isLeader() && status.get().raftTerm() > leaderTerm) {
                leader = i;
                leaderTerm = status.get().raftTerm();
            }
        }
        return leader;
    }

    /** Polls {@link #leaderIndex()} until some member leads; returns its index. */
    public int awaitLeader(Duration timeout) {
        return awaitLeader(-1, timeout, "no leader");
    }

    /** Polls until a member other than {@code previous} leads, e.g. after killing the old leader. */
    public int awaitNewLeader(int previous, Duration timeout) {
        return awaitLeader(previous, timeout, "no new leader (other than member " + previous + ")");
    }

    private int awaitLeader(int previous, Duration timeout, String failure) {
        int[] leader = {-1};
        if (!Await.poll(timeout, () -> (leader[0] = leaderIndex()) >= 0 && leader[0] != previous)) {
            throw new EtcdProcessException(failure + " within " + timeout + " in " + this + "\n" + logTails());
        }
        return leader[0];
    }

    @Override
    public synchronized String toString() {
        return "etcd-cluster" + members.stream().map(EtcdProcess::endpoint).collect(Collectors.toList());
    }

    // ---- internals ----

    private List<EtcdProcess> createMembers() {
        String token = "etcdj-cluster-" + UUID.randomUUID();
        List<String> names = new ArrayList<>();
        int[] clientPorts = FreePorts.next(size);
        int[] peerPorts = FreePorts.next(size);
        List<String> initial = new ArrayList<>();
        List<String> advertised = new ArrayList<>();
        List<FaultProxy> fronts = new ArrayList<>();
        for (int i = 0; i < size; i++) {
            names.add(namePrefix + i);
            String peerUrl = "http://127.0.0.1:" + peerPorts[i];
            if (peerProxies) {
                FaultProxy proxy = FaultProxy.start(peerUrl);
                fronts.add(proxy);
                peerUrl = proxy.endpoint();
            }
            advertised.add(peerUrl);
            initial.add(names.get(i) + "=" + peerUrl);
        }
        proxies = List.copyOf(fronts);
        memberIds.clear();
        String initialCluster = String.join(",", initial);
        List<EtcdProcess> created = new ArrayList<>();
        for (int i = 0; i < size; i++) {
            created.add(EtcdProcess.builder()
                    .name(names.get(i))
                    .clientPort(clientPorts[i])
                    .peerPort(peerPorts[i])
                    .initialCluster(initialCluster)
                    .clusterToken(token)
                    .startTimeout(startTimeout)
                    .args(args)
                    // After the default: the member listens on its own port, others reach it via the proxy.
                    .args(peerProxies ? List.of("--initial-advertise-peer-urls", advertised.get(i)) : List.of())
                    .build());
        }
        return created;
    }

    /** Launch every stopped member first, then wait: a lone member cannot become healthy. */
    private void startStopped() {
        List<EtcdProcess> launched = new ArrayList<>();
        for (EtcdProcess m : members) {
            if (!m.isRunning()) {
                m.launch();
                launched.add(m);
            }
        }
        for (EtcdProcess m : launched) {
            m.awaitHealthy(startTimeout);
        }
    }

    private void closeProxies() {
        proxies.forEach(FaultProxy::close);
        proxies = List.of();
    }

    private void requireStarted() {
        if (members.isEmpty()) {
            throw new IllegalStateException("cluster not started");
        }
    }

    private String logTails() {
        StringBuilder sb = new StringBuilder();
        for (EtcdProcess m : members) {
            sb.append("---- ").append(m.memberName()).append(" (").append(m.logFile()).append("):\n")
                    .append(m.logTail(10)).append('\n');
        }
        return sb.toString();
    }

    /** Options for a cluster. */
    public static final class Builder {
        private int size = 3;
        private String namePrefix = "m";
        private final List<String> args = new ArrayList<>();
        private Duration startTimeout = Duration.ofSeconds(60);
        private boolean peerProxies;

        private Builder() {
        }

        /**
         * Routes all traffic between members through one {@link FaultProxy} per member (default off),
         * for {@link #isolate}, {@link #cutPeerLink} and the proxies' other faults on peer links.
         */
        public Builder peerProxies(boolean on) {
            this.peerProxies = on;
            return this;
        }

        /** Number of members (default 3). */
        public Builder size(int size) {
            if (size < 1) {
                throw new IllegalArgumentException("size must be >= 1: " + size);
            }
            this.size = size;
            return this;
        }

        /** Members are named prefix0, prefix1, ... (default "m"). */
        public Builder namePrefix(String prefix) {
            this.namePrefix = Objects.requireNonNull(prefix);
            return this;
        }

        /** Extra etcd flags for every member. */
        public Builder args(String... args) {
            this.args.addAll(List.of(args));
            return this;
        }

        /** How long to wait for every member to be healthy (default 60 s). */
        public Builder startTimeout(Duration timeout) {
            this.startTimeout = Objects.requireNonNull(timeout);
            return this;
        }

        public EtcdCluster build() {
            return new EtcdCluster(this);
        }
    }
}
