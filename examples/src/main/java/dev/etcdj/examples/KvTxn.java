package dev.etcdj.examples;

import static dev.etcdj.client.Options.*;

import dev.etcdj.client.*;
import java.io.PrintStream;


/** KV Txn: a compare-and-set transaction. */
public final class KvTxn implements Example {

    @Override
    public void run(EtcdClient client, PrintStream out) throws Exception {
        KvClient kv = client.kv();
        kv.put("key", "xyz").join();
        kv.withTimeout(REQUEST_TIMEOUT).txn()
                .when(Cmp.value("key").greater("abc")) // txn value comparisons are lexical
                .then(Op.put("key", "XYZ")) // this runs, since xyz > abc
                .orElse(Op.put("key", "ABC"))
                .commit().join();
        for (KeyValue e : kv.get("key").join().kvs()) {
            out.println(e.key() + " : " + e.value());
        }
    }

    public static void main(String[] args) throws Exception {
        Example.main(new KvTxn(), args);
    }
}
