package dev.etcdj.examples;

import static dev.etcdj.client.Options.*;

import dev.etcdj.client.*;
import java.io.PrintStream;


/** KV Delete: delete every key with a prefix. */
public final class KvDelete implements Example {

    @Override
    public void run(EtcdClient client, PrintStream out) throws Exception {
        DeleteResponse resp = client.kv().withTimeout(REQUEST_TIMEOUT).delete("key", prefix()).join();
        out.println("Deleted " + resp.deleted() + " keys");
    }

    public static void main(String[] args) throws Exception {
        Example.main(new KvDelete(), args);
    }
}
