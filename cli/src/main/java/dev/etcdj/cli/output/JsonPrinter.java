package dev.etcdj.cli.output;

import dev.etcdj.client.AlarmMember;
import dev.etcdj.client.AlarmResponse;
import dev.etcdj.client.AuthResponse;
import dev.etcdj.client.Bytes;
import dev.etcdj.client.DeleteResponse;
import dev.etcdj.client.GetResponse;
import dev.etcdj.client.KeyValue;
import dev.etcdj.client.LeaseGrantResponse;
import dev.etcdj.client.LeaseKeepAliveResponse;
import dev.etcdj.client.LeaseListResponse;
import dev.etcdj.client.LeaseRevokeResponse;
import dev.etcdj.client.LeaseTimeToLiveResponse;
import dev.etcdj.client.Member;
import dev.etcdj.client.MemberAddResponse;
import dev.etcdj.client.MemberListResponse;
import dev.etcdj.client.MoveLeaderResponse;
import dev.etcdj.client.OpResponse;
import dev.etcdj.client.Permission;
import dev.etcdj.client.PutResponse;
import dev.etcdj.client.ResponseHeader;
import dev.etcdj.client.RoleGetResponse;
import dev.etcdj.client.RoleListResponse;
import dev.etcdj.client.StatusResponse;
import dev.etcdj.client.TxnResponse;
import dev.etcdj.client.UserGetResponse;
import dev.etcdj.client.UserListResponse;
import dev.etcdj.client.WatchEvent;
import java.io.PrintStream;
import java.util.List;
import java.util.function.Consumer;

/**
 * etcdctl 3.4's {@code -w json}: Go's encoding/json of the protobuf response structs (snake_case
 * names, zero fields omitted) or of clientv3's own structs (lease and watch responses, whose field
 * names and omitempty rules differ and are reproduced here one by one).
 */
public final class JsonPrinter extends OutputPrinter {

    public JsonPrinter(PrintStream out) {
        super(out, "json");
    }

    @Override
    public void get(GetResponse r) {
        printObject(j -> getBody(j, r));
    }

    @Override
    public void put(PutResponse r) {
        printObject(j -> putBody(j, r));
    }

    @Override
    public void del(DeleteResponse r) {
        printObject(j -> delBody(j, r));
    }

    @Override
    public void txn(TxnResponse r) {
        printObject(j -> txnBody(j, r));
    }

    @Override
    public void watch(ResponseHeader header, List<WatchEvent> events, long compactRevision, boolean canceled) {
        // clientv3.WatchResponse has no json tags: Go uses the field names as they are.
        Json j = new Json().begin().begin("Header");
        headerFields(j, header);
        j.end();
        if (events.isEmpty() && !canceled) {
            j.rawNull("Events");
        } else {
            j.beginArray("Events");
            for (WatchEvent e : events) {
                j.begin();
                j.num("type", e.type() == WatchEvent.Type.DELETE ? 1 : 0, true);
                kv(j, "kv", e.kv());
                e.prevKv().ifPresent(p -> kv(j, "prev_kv", p));
                j.end();
            }
            j.endArray();
        }
        j.num("CompactRevision", compactRevision, false);
        j.bool("Canceled", canceled, false);
        j.bool("Created", false, false);
        print(j.end());
    }

    @Override
    public void grant(LeaseGrantResponse r) {
        printObject(j -> {
            headerFields(j, r.header());
            j.num("ID", r.leaseId(), false).num("TTL", r.ttl(), false).string("Error", "");
        });
    }

    @Override
    public void revoke(long leaseId, LeaseRevokeResponse r) {
        printObject(j -> header(j, r.header()));
    }

    @Override
    public void keepAlive(LeaseKeepAliveResponse r) {
        printObject(j -> {
            headerFields(j, r.header());
            j.num("ID", r.leaseId(), false).num("TTL", r.ttl(), false);
        });
    }

    @Override
    public void timeToLive(LeaseTimeToLiveResponse r, boolean keys) {
        printObject(j -> {
            headerFields(j, r.header());
            j.num("id", r.leaseId(), false).num("ttl", r.ttl(), false).num("granted-ttl", r.grantedTtl(), false);
            if (r.keys().isEmpty()) {
                j.rawNull("keys");
            } else {
                j.beginArray("keys");
                for (Bytes k : r.keys()) {
                    j.base64(k.unsafeArray());
                }
                j.endArray();
            }
        });
    }

    @Override
    public void leases(LeaseListResponse r) {
        Json j = new Json().begin();
        headerFields(j, r.header());
        j.beginArray("leases");
        for (long id : r.leaseIds()) {
            j.begin().num("id", id, false).end();
        }
        print(j.endArray().end());
    }

    // ---- cluster and maintenance: the protobuf responses, a header the server did not send left out ----

    @Override
    public void memberAdd(MemberAddResponse r) {
        printObject(j -> {
            sentHeader(j, r.header());
            j.begin("member");
            member(j, r.member());
            j.end();
            members(j, r.members());
        });
    }

    @Override
    public void memberRemove(long id, MemberListResponse r) {
        memberList(r);
    }

    @Override
    public void memberUpdate(long id, MemberListResponse r) {
        memberList(r);
    }

    @Override
    public void memberList(MemberListResponse r) {
        printObject(j -> {
            sentHeader(j, r.header());
            members(j, r.members());
        });
    }

    private static void members(Json j, List<Member> ms) {
        if (ms.isEmpty()) {
            return;
        }
        j.beginArray("members");
        for (Member m : ms) {
            j.begin();
            member(j, m);
            j.end();
        }
        j.endArray();
    }

    /** pb.Member: ID, name, peerURLs, clientURLs, isLearner, all omitempty. */
    private static void member(Json j, Member m) {
        j.unsigned("ID", m.id());
        if (!m.name().isEmpty()) {
            j.string("name", m.name());
        }
        strings(j, "peerURLs", m.peerUrls());
        strings(j, "clientURLs", m.clientUrls());
        j.bool("isLearner", m.learner(), true);
    }

    @Override
    public void endpointHealth(List<EpHealth> hs) {
        Json j = new Json().beginArrayValue();
        for (EpHealth h : hs) {
            j.begin().string("endpoint", h.endpoint()).bool("health", h.health(), false).string("took", h.took());
            if (!h.error().isEmpty()) {
                j.string("error", h.error());
            }
            j.end();
        }
        print(j.endArray());
    }

    @Override
    public void endpointStatus(List<EpStatus> ss) {
        Json j = new Json().beginArrayValue();
        for (EpStatus e : ss) {
            StatusResponse s = e.status();
            j.begin().string("Endpoint", e.endpoint()).begin("Status");
            sentHeader(j, s.header());
            if (!s.version().isEmpty()) {
                j.string("version", s.version());
            }
            j.num("dbSize", s.dbSize(), true).unsigned("leader", s.leader()).unsigned("raftIndex", s.raftIndex())
                    .unsigned("raftTerm", s.raftTerm()).unsigned("raftAppliedIndex", s.raftAppliedIndex());
            strings(j, "errors", s.errors());
            j.num("dbSizeInUse", s.dbSizeInUse(), true).bool("isLearner", s.learner(), true);
            j.end().end();
        }
        print(j.endArray());
    }

    @Override
    public void endpointHashKv(List<EpHashKv> hs) {
        Json j = new Json().beginArrayValue();
        for (EpHashKv h : hs) {
            j.begin().string("Endpoint", h.endpoint()).begin("HashKV");
            sentHeader(j, h.hashKv().header());
            j.num("hash", h.hashKv().hash(), true).num("compact_revision", h.hashKv().compactRevision(), true);
            j.end().end();
        }
        print(j.endArray());
    }

    @Override
    public void dbStatus(long hash, long revision, long totalKey, long totalSize) {
        print(new Json().begin().num("hash", hash, false).num("revision", revision, false)
                .num("totalKey", totalKey, false).num("totalSize", totalSize, false).end());
    }

    @Override
    public void alarm(AlarmResponse r) {
        printObject(j -> {
            sentHeader(j, r.header());
            if (!r.alarms().isEmpty()) {
                j.beginArray("alarms");
                for (AlarmMember a : r.alarms()) {
                    j.begin().unsigned("memberID", a.memberId()).num("alarm", a.type().ordinal(), true).end();
                }
                j.endArray();
            }
        });
    }

    @Override
    public void moveLeader(long leader, long target, MoveLeaderResponse r) {
        headerOnly(r.header());
    }

    // ---- auth ----

    @Override
    public void authChange(AuthResponse r, String simpleLine) {
        headerOnly(r.header());
    }

    @Override
    public void userGet(String name, UserGetResponse r) {
        printObject(j -> {
            sentHeader(j, r.header());
            strings(j, "roles", r.roles());
        });
    }

    @Override
    public void userList(UserListResponse r) {
        printObject(j -> {
            sentHeader(j, r.header());
            strings(j, "users", r.users());
        });
    }

    @Override
    public void roleList(RoleListResponse r) {
        printObject(j -> {
            sentHeader(j, r.header());
            strings(j, "roles", r.roles());
        });
    }

    @Override
    public void roleGet(String role, RoleGetResponse r) {
        printObject(j -> {
            sentHeader(j, r.header());
            if (!r.permissions().isEmpty()) {
                j.beginArray("perm");
                for (Permission p : r.permissions()) {
                    j.begin().num("permType", p.type().ordinal(), true).bytes("key", p.key().unsafeArray(), true)
                            .bytes("range_end", p.rangeEnd().unsafeArray(), true).end();
                }
                j.endArray();
            }
        });
    }

    private void headerOnly(ResponseHeader h) {
        printObject(j -> sentHeader(j, h));
    }

    /** A header the server did not send comes back all zero: Go leaves the nil pointer out. */
    private static void sentHeader(Json j, ResponseHeader h) {
        header(j, h == null || h.equals(ResponseHeader.EMPTY) ? null : h);
    }

    private static void strings(Json j, String name, List<String> values) {
        if (values.isEmpty()) {
            return;
        }
        j.beginArray(name);
        for (String v : values) {
            j.stringValue(v);
        }
        j.endArray();
    }

    private static void getBody(Json j, GetResponse r) {
        header(j, r.header());
        if (!r.kvs().isEmpty()) {
            j.beginArray("kvs");
            for (KeyValue kv : r.kvs()) {
                kvObject(j.begin(), kv);
                j.end();
            }
            j.endArray();
        }
        j.bool("more", r.more(), true).num("count", r.count(), true);
    }

    private static void putBody(Json j, PutResponse r) {
        header(j, r.header());
        r.prevKv().ifPresent(p -> kv(j, "prev_kv", p));
    }

    private static void delBody(Json j, DeleteResponse r) {
        header(j, r.header());
        j.num("deleted", r.deleted(), true);
        if (!r.prevKvs().isEmpty()) {
            j.beginArray("prev_kvs");
            for (KeyValue kv : r.prevKvs()) {
                kvObject(j.begin(), kv);
                j.end();
            }
            j.endArray();
        }
    }

    private static void txnBody(Json j, TxnResponse r) {
        header(j, r.header());
        j.bool("succeeded", r.succeeded(), true);
        if (!r.responses().isEmpty()) {
            j.beginArray("responses");
            for (OpResponse op : r.responses()) {
                // pb.ResponseOp: the oneof is a field named "Response" holding a wrapper named by type.
                j.begin().begin("Response");
                if (op instanceof PutResponse p) {
                    j.begin("ResponsePut");
                    putBody(j, p);
                } else if (op instanceof GetResponse g) {
                    j.begin("ResponseRange");
                    getBody(j, g);
                } else if (op instanceof DeleteResponse d) {
                    j.begin("ResponseDeleteRange");
                    delBody(j, d);
                } else {
                    j.begin("ResponseTxn");
                    txnBody(j, (TxnResponse) op);
                }
                j.end().end().end();
            }
            j.endArray();
        }
    }

    /** The protobuf header as a nested object; left out when the server sent none. */
    private static void header(Json j, ResponseHeader h) {
        if (h == null) {
            return;
        }
        j.begin("header");
        headerFields(j, h);
        j.end();
    }

    private static void headerFields(Json j, ResponseHeader h) {
        if (h == null) {
            return;
        }
        j.unsigned("cluster_id", h.clusterId()).unsigned("member_id", h.memberId())
                .num("revision", h.revision(), true).num("raft_term", h.raftTerm(), true);
    }

    private static void kv(Json j, String name, KeyValue kv) {
        j.begin(name);
        kvObject(j, kv);
        j.end();
    }

    private static void kvObject(Json j, KeyValue kv) {
        j.bytes("key", kv.key().unsafeArray(), true)
                .num("create_revision", kv.createRevision(), true)
                .num("mod_revision", kv.modRevision(), true)
                .num("version", kv.version(), true)
                .bytes("value", kv.value().unsafeArray(), true)
                .num("lease", kv.lease(), true);
    }

    private void print(Json j) {
        out.println(j);
    }

    /** Prints one JSON object whose fields {@code fields} writes. */
    private void printObject(Consumer<Json> fields) {
        Json j = new Json().begin();
        fields.accept(j);
        print(j.end());
    }
}
