package dev.etcdj.examples;

import static dev.etcdj.client.Options.*;

import dev.etcdj.client.*;
import java.io.PrintStream;


/** KV GetSortedPrefix: every key with a prefix, sorted by key, descending. */
public final class KvGetSortedPrefix implements Example {

    @Override
    public void run(EtcdClient client, PrintStream out) throws Exception {
        for (int i = 0; i < 3; i++) {
            client.kv().withTimeout(REQUEST_TIMEOUT).put("key_" + i, "value").join();
        }
        GetResponse resp = client.kv().withTimeout(REQUEST_TIMEOUT)
                .get("key", prefix(), sort(SortTarget.KEY, SortOrder.DESCEND)).join();
        for (KeyValue kv : resp.kvs()) {
            out.println(kv.key() + " : " + kv.value());
        }
    }

    public static void main(String[] args) throws Exception {
        Example.main(new KvGetSortedPrefix(), args);
    }
}
