package dev.etcdj.server.internal;

import dev.etcdj.server.internal.apply.Proposals;
import dev.etcdj.server.internal.storage.Backend;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * The cluster as MemberList shows it: this member (name, id, persisted peer URLs) and at most one
 * other, never started, member. Changes go through {@link Proposals} like etcd's conf changes.
 */
public final class Membership {
    private static final byte[] PEER_URLS = Backend.metaKey("peerUrls");
    private static final byte[] EXTRA_MEMBER = Backend.metaKey("extraMember");

    private final String name;
    private final long memberId;
    private final Proposals proposals;
    private volatile List<String> peerUrls;
    private volatile ExtraMember extraMember;

    public Membership(Backend backend, Proposals proposals, String name, long memberId, List<String> initialPeerUrls) {
        this.name = name;
        this.memberId = memberId;
        this.proposals = proposals;
        byte[] peers = backend.get(PEER_URLS);
        this.peerUrls = peers == null ? initialPeerUrls : List.of(new String(peers, StandardCharsets.UTF_8).split(","));
        byte[] extra = backend.get(EXTRA_MEMBER);
        this.extraMember = extra == null ? null : ExtraMember.decode(extra);
    }

    /**
     * The one other member this single-node server can list: a learner added with MemberAdd that
     * never starts (a learner does not count for quorum, so etcd accepts it). {@code listedAsLearner}
     * is what MemberList reports: etcd 3.4.23's MemberUpdate replaces the member's raft attributes
     * with the request's, which clears IsLearner in the membership store while raft still treats the
     * node as a learner, and we reproduce that.
     */
    public record ExtraMember(long id, List<String> peerUrls, boolean listedAsLearner) {
        byte[] encode() {
            return (Long.toUnsignedString(id) + "|" + listedAsLearner + "|" + String.join(",", peerUrls))
                    .getBytes(StandardCharsets.UTF_8);
        }

        static ExtraMember decode(byte[] b) {
            String[] f = new String(b, StandardCharsets.UTF_8).split("\\|", 3);
            return new ExtraMember(Long.parseUnsignedLong(f[0]), List.of(f[2].split(",")), Boolean.parseBoolean(f[1]));
        }
    }

    public String name() {
        return name;
    }

    public long memberId() {
        return memberId;
    }

    public List<String> peerUrls() {
        return peerUrls;
    }

    public CompletableFuture<Void> setPeerUrls(List<String> urls) {
        return proposals.propose(ctx -> {
            Backend.put(ctx.batch(), PEER_URLS, String.join(",", urls).getBytes(StandardCharsets.UTF_8));
            peerUrls = List.copyOf(urls);
            return null;
        });
    }

    /** The other (never started) member, or null. */
    public ExtraMember extraMember() {
        return extraMember;
    }

    /** Persists the other member (null removes it) through the apply thread, like a conf change. */
    public CompletableFuture<Void> setExtraMember(ExtraMember m) {
        return proposals.propose(ctx -> {
            if (m == null) {
                Backend.delete(ctx.batch(), EXTRA_MEMBER);
            } else {
                Backend.put(ctx.batch(), EXTRA_MEMBER, m.encode());
            }
            extraMember = m;
            return null;
        });
    }
}
