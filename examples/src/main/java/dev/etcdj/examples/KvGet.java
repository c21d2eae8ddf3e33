package dev.etcdj.examples;

import static dev.etcdj.client.Options.*;

import dev.etcdj.client.*;
import java.io.PrintStream;


/** KV Get: put a key, read it back. */
public final class KvGet implements Example {

    @Override
    public void run(EtcdClient client, PrintStream out) throws Exception {
        client.kv().put("foo", "bar").join();
        GetResponse resp = client.kv().withTimeout(REQUEST_TIMEOUT).get("foo").join();
        for (KeyValue kv : resp.kvs()) {
            out.println(kv.key() + " : " + kv.value());
        }
    }

    public static void main(String[] args) throws Exception {
        Example.main(new KvGet(), args);
    }
}
