package dev.etcdj.examples;

import static dev.etcdj.client.Options.*;

import dev.etcdj.client.*;
import java.io.PrintStream;


/** KV Compact: drop the history before the current revision. */
public final class KvCompact implements Example {

    @Override
    public void run(EtcdClient client, PrintStream out) throws Exception {
        GetResponse resp = client.kv().withTimeout(REQUEST_TIMEOUT).get("foo").join();
        long compRev = resp.header().revision(); // specify compact revision of your choice
        client.kv().withTimeout(REQUEST_TIMEOUT).compact(compRev).join();
        out.println("compacted at revision " + compRev);
    }

    public static void main(String[] args) throws Exception {
        Example.main(new KvCompact(), args);
    }
}
