package dev.etcdj.examples;

import dev.etcdj.client.EtcdClient;
import java.io.PrintStream;
import java.util.LinkedHashMap;
import java.util.Map;

/** Every example, in the order of clientv3's documentation, and a runner that prints each one's name and output. */
public final class Examples {

    private Examples() {}

    public static Map<String, Example> all() {
        Map<String, Example> m = new LinkedHashMap<>();
        m.put("KV Put", new KvPut());
        m.put("KV Get", new KvGet());
        m.put("KV GetSortedPrefix", new KvGetSortedPrefix());
        m.put("KV Delete", new KvDelete());
        m.put("KV Compact", new KvCompact());
        m.put("KV Do", new KvDo());
        m.put("KV Txn", new KvTxn());
        m.put("Lease Create", new LeaseCreate());
        m.put("Lease Revoke", new LeaseRevoke());
        m.put("Lease KeepAlive", new LeaseKeepAlive());
        m.put("Lease KeepAliveOnce", new LeaseKeepAliveOnce());
        m.put("Watch", new WatchKey());
        m.put("WatchPrefix", new WatchPrefix());
        m.put("WatchProgressNotify", new WatchProgressNotify());
        m.put("Cluster MemberList", new ClusterMemberList());
        m.put("Cluster MemberLeader", new ClusterMemberLeader());
        return m;
    }

    /** Runs every example in order; returns how many failed (each failure is printed, the others still run). */
    public static int runAll(EtcdClient client, PrintStream out) {
        int failed = 0;
        for (Map.Entry<String, Example> e : all().entrySet()) {
            out.println("== " + e.getKey());
            try {
                e.getValue().run(client, out);
            } catch (Exception ex) {
                failed++;
                Throwable t = ex instanceof java.util.concurrent.CompletionException && ex.getCause() != null ? ex.getCause() : ex;
                out.println("FAILED: " + t.getMessage());
            }
            out.flush();
        }
        return failed;
    }
}
