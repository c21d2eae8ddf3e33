package dev.etcdj.server.internal.rpc;

import dev.etcdj.proto.etcdserverpb.ClusterGrpc;
import dev.etcdj.proto.etcdserverpb.Member;
import dev.etcdj.proto.etcdserverpb.MemberAddRequest;
import dev.etcdj.proto.etcdserverpb.MemberAddResponse;
import dev.etcdj.proto.etcdserverpb.MemberListRequest;
import dev.etcdj.proto.etcdserverpb.MemberListResponse;
import dev.etcdj.proto.etcdserverpb.MemberPromoteRequest;
import dev.etcdj.proto.etcdserverpb.MemberPromoteResponse;
import dev.etcdj.proto.etcdserverpb.MemberRemoveRequest;
import dev.etcdj.proto.etcdserverpb.MemberRemoveResponse;
import dev.etcdj.proto.etcdserverpb.MemberUpdateRequest;
import dev.etcdj.proto.etcdserverpb.MemberUpdateResponse;
import dev.etcdj.proto.etcdserverpb.ResponseHeader;
import dev.etcdj.proto.internal.WireError;
import dev.etcdj.server.internal.EtcdException;
import dev.etcdj.server.internal.Headers;
import dev.etcdj.server.internal.Membership;
import dev.etcdj.server.internal.Membership.ExtraMember;
import io.grpc.stub.StreamObserver;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.List;
import java.util.function.Supplier;

/**
 * etcdserverpb.Cluster for a single member that never replicates. It follows etcd 3.4.23's checks
 * (v3rpc/member.go, EtcdServer.mayAddMember/mayRemoveMember/mayPromoteMember,
 * RaftCluster.ValidateConfigurationChange) in etcd's order, for a cluster of ourselves plus at most
 * one member that never starts:
 * <ul>
 *   <li>A learner can be added (it does not count for quorum), listed (no name, no client URLs),
 *       updated, and removed; promoting it says it is not in sync with the leader; a second learner
 *       gives "too many learner members in cluster".</li>
 *   <li>Adding a voting member is refused with "re-configuration failed due to not enough started
 *       members": etcd 3.4 accepts it on a one-member cluster and then has no quorum until the new
 *       member starts, which can never happen here (see server/README.md).</li>
 *   <li>Removing ourselves is refused like etcd does (quorum would be lost).</li>
 * </ul>
 */
public final class ClusterService extends ClusterGrpc.ClusterImplBase {
    private final Membership membership;
    private final Headers headers;
    private final Supplier<List<String>> clientUrls;
    // etcd refuses to reuse a removed member's ID ("member not found"); kept until restart.
    private final java.util.Set<Long> removedIds = java.util.concurrent.ConcurrentHashMap.newKeySet();

    public ClusterService(Membership membership, Headers headers, Supplier<List<String>> clientUrls) {
        this.membership = membership;
        this.headers = headers;
        this.clientUrls = clientUrls;
    }

    private ResponseHeader header() {
        return headers.at(0);
    }

    private Member self() {
        return Member.newBuilder().setID(membership.memberId()).setName(membership.name())
                .addAllPeerURLs(membership.peerUrls()).addAllClientURLs(clientUrls.get()).build();
    }

    /** Every member, sorted by ID like etcd's RaftCluster.Members(). */
    private List<Member> members() {
        List<Member> all = new ArrayList<>(List.of(self()));
        ExtraMember x = membership.extraMember();
        if (x != null) {
            all.add(Member.newBuilder().setID(x.id()).addAllPeerURLs(x.peerUrls())
                    .setIsLearner(x.listedAsLearner()).build());
        }
        all.sort(Comparator.comparing(Member::getID, Long::compareUnsigned));
        return all;
    }

    // scheme ":" rest, as Go's url.Parse splits it (a scheme starts with a letter).
    private static final Pattern SCHEME = Pattern.compile("([A-Za-z][A-Za-z0-9+.-]*):(.*)", Pattern.DOTALL);
    private static final String HOST_PUNCT = "-._~!$&'()*+,;=:[]<>\"";

    /**
     * etcd's types.NewURLs: every URL must parse (Go net/url), have scheme http, https, unix or
     * unixs, a "host:port" authority and no path. Returns the URLs as Go prints them back (scheme
     * lower-cased), sorted; throws "given member URLs are invalid" otherwise.
     */
    public static List<String> parseUrls(List<String> urls) {
        if (urls.isEmpty()) {
            throw EtcdException.of(WireError.MEMBER_BAD_URLS);
        }
        List<String> out = new ArrayList<>(urls.size());
        for (String u : urls) {
            String n = normaliseUrl(u.strip());
            if (n == null) {
                throw EtcdException.of(WireError.MEMBER_BAD_URLS);
            }
            out.add(n);
        }
        out.sort(null);
        return out;
    }

    private static String normaliseUrl(String u) {
        for (int i = 0; i < u.length(); i++) {
            char c = u.charAt(i);
            if (c < 0x20 || c == 0x7f) {
                return null; // Go: invalid control character in URL
            }
        }
        Matcher m = SCHEME.matcher(u);
        if (!m.matches()) {
            return null;
        }
        String scheme = m.group(1).toLowerCase(Locale.ROOT);
        if (!List.of("http", "https", "unix", "unixs").contains(scheme)) {
            return null;
        }
        String rest = m.group(2);
        int hash = rest.indexOf('#');
        String beforeFragment = hash < 0 ? rest : rest.substring(0, hash);
        int q = beforeFragment.indexOf('?');
        String hierarchical = q < 0 ? beforeFragment : beforeFragment.substring(0, q);
        if (!hierarchical.startsWith("//")) {
            return null; // no authority, so no host:port
        }
        String authority = hierarchical.substring(2);
        int slash = authority.indexOf('/');
        if (slash >= 0) {
            return null; // a path (even "/") is not allowed
        }
        String host = authority.substring(authority.lastIndexOf('@') + 1);
        if (!validHostPort(host)) {
            return null;
        }
        return scheme + ":" + rest;
    }

    /** Go's url.parseHost (port digits only, host characters) plus net.SplitHostPort (a port is required). */
    private static boolean validHostPort(String host) {
        for (int i = 0; i < host.length(); i++) {
            char c = host.charAt(i);
            if (c < 0x80 && !Character.isLetterOrDigit(c) && HOST_PUNCT.indexOf(c) < 0) {
                return false;
            }
        }
        String port;
        if (host.startsWith("[")) {
            int close = host.indexOf(']');
            if (close < 0 || host.indexOf('[', 1) >= 0 || !host.startsWith(":", close + 1)) {
                return false;
            }
            port = host.substring(close + 2);
        } else {
            int colon = host.lastIndexOf(':');
            if (colon < 0 || host.indexOf(':') != colon || host.indexOf('[') >= 0 || host.indexOf(']') >= 0) {
                return false; // missing port, or too many colons
            }
            port = host.substring(colon + 1);
        }
        for (int i = 0; i < port.length(); i++) {
            if (port.charAt(i) < '0' || port.charAt(i) > '9') {
                return false;
            }
        }
        return true;
    }

    /**
     * etcd's membership.NewMember ID: the first 8 bytes (big-endian) of SHA-1 over the sorted peer
     * URLs, the cluster name (empty for MemberAdd) and the Unix second. Two adds of the same URLs in
     * one second get the same ID, and etcd then answers "member ID already exist".
     */
    static long newMemberId(List<String> sortedUrls, long unixSecond) {
        try {
            java.security.MessageDigest sha1 = java.security.MessageDigest.getInstance("SHA-1");
            for (String u : sortedUrls) {
                sha1.update(u.getBytes(java.nio.charset.StandardCharsets.UTF_8));
            }
            sha1.update(Long.toString(unixSecond).getBytes(java.nio.charset.StandardCharsets.UTF_8));
            return java.nio.ByteBuffer.wrap(sha1.digest()).getLong();
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** ValidateConfigurationChange for an add: removed ID, then existing ID, then peer URLs. */
    private void checkNewMember(long id, List<String> urls) {
        if (removedIds.contains(id)) {
            throw EtcdException.of(WireError.MEMBER_NOT_FOUND);
        }
        ExtraMember x = membership.extraMember();
        if (id == membership.memberId() || (x != null && id == x.id())) {
            throw EtcdException.of(WireError.MEMBER_EXISTS);
        }
        checkUnusedBy(urls, 0);
    }

    private void checkUnusedBy(List<String> urls, long exceptId) {
        ExtraMember x = membership.extraMember();
        for (String u : urls) {
            if ((exceptId != membership.memberId() && membership.peerUrls().contains(u))
                    || (x != null && exceptId != x.id() && x.peerUrls().contains(u))) {
                throw EtcdException.of(WireError.PEER_URL_EXISTS);
            }
        }
    }

    /** An updated learner is listed as voting (etcd 3.4.23), and then counts as an unstarted voter. */
    private boolean unstartedVoter() {
        ExtraMember x = membership.extraMember();
        return x != null && !x.listedAsLearner();
    }

    @Override
    public void memberAdd(MemberAddRequest r, StreamObserver<MemberAddResponse> out) {
        Rpc.replyAsync(out, () -> {
            List<String> urls = parseUrls(r.getPeerURLsList());
            long id = newMemberId(urls, System.currentTimeMillis() / 1000);
            if (!r.getIsLearner()) {
                if (unstartedVoter()) {
                    throw EtcdException.of(WireError.MEMBER_NOT_ENOUGH_STARTED); // 1 of 3 voters started
                }
                checkNewMember(id, urls);
                // etcd accepts this and loses quorum until the new member starts; it never will here.
                throw EtcdException.of(WireError.MEMBER_NOT_ENOUGH_STARTED);
            }
            if (unstartedVoter()) {
                throw EtcdException.of(WireError.UNHEALTHY); // not connected to every voting member
            }
            checkNewMember(id, urls);
            ExtraMember x = membership.extraMember();
            if (x != null && x.listedAsLearner()) {
                throw EtcdException.of(WireError.TOO_MANY_LEARNERS);
            }
            ExtraMember learner = new ExtraMember(id, urls, true);
            return membership.setExtraMember(learner).thenApply(v -> MemberAddResponse.newBuilder().setHeader(header())
                    .setMember(Member.newBuilder().setID(learner.id()).addAllPeerURLs(urls).setIsLearner(true))
                    .addAllMembers(members()).build());
        });
    }

    @Override
    public void memberRemove(MemberRemoveRequest r, StreamObserver<MemberRemoveResponse> out) {
        Rpc.replyAsync(out, () -> {
            ExtraMember x = membership.extraMember();
            if (x != null && r.getID() == x.id()) {
                // A learner needs no quorum check; an unstarted voter is safe to remove too.
                removedIds.add(x.id());
                return membership.setExtraMember(null).thenApply(v -> MemberRemoveResponse.newBuilder()
                        .setHeader(header()).addAllMembers(members()).build());
            }
            if (r.getID() == membership.memberId() || unstartedVoter()) {
                throw EtcdException.of(WireError.MEMBER_NOT_ENOUGH_STARTED); // the rest would have no quorum
            }
            throw EtcdException.of(WireError.MEMBER_NOT_FOUND);
        });
    }

    @Override
    public void memberUpdate(MemberUpdateRequest r, StreamObserver<MemberUpdateResponse> out) {
        Rpc.replyAsync(out, () -> {
            // etcd 3.4 does not validate these (and its peers then crash on a bad URL): we refuse them
            // with the error MemberAdd gives. Valid URLs are stored as given, like etcd.
            parseUrls(r.getPeerURLsList());
            List<String> urls = List.copyOf(r.getPeerURLsList());
            ExtraMember x = membership.extraMember();
            boolean isExtra = x != null && r.getID() == x.id();
            if (r.getID() != membership.memberId() && !isExtra) {
                throw EtcdException.of(WireError.MEMBER_NOT_FOUND);
            }
            checkUnusedBy(urls, r.getID());
            var done = isExtra ? membership.setExtraMember(new ExtraMember(x.id(), urls, false))
                    : membership.setPeerUrls(urls);
            return done.thenApply(v -> MemberUpdateResponse.newBuilder()
                    .setHeader(header()).addAllMembers(members()).build());
        });
    }

    @Override
    public void memberList(MemberListRequest r, StreamObserver<MemberListResponse> out) {
        Rpc.reply(out, () -> {
            return MemberListResponse.newBuilder().setHeader(header()).addAllMembers(members()).build();
        });
    }

    @Override
    public void memberPromote(MemberPromoteRequest r, StreamObserver<MemberPromoteResponse> out) {
        Rpc.reply(out, () -> {
            ExtraMember x = membership.extraMember();
            if (x != null && r.getID() == x.id()) {
                // Still a raft learner (even if listed as voting after an update), and never caught up.
                throw EtcdException.of(WireError.LEARNER_NOT_READY);
            }
            if (r.getID() != membership.memberId()) {
                throw EtcdException.of(WireError.MEMBER_NOT_FOUND);
            }
            throw EtcdException.of(WireError.MEMBER_NOT_LEARNER);
        });
    }
}
