package dev.etcdj.examples;

import static dev.etcdj.client.Options.*;

import dev.etcdj.client.*;
import java.io.PrintStream;


/** KV Put: the store's revision after one put (a fresh store starts at 1). */
public final class KvPut implements Example {

    @Override
    public void run(EtcdClient client, PrintStream out) throws Exception {
        PutResponse resp = client.kv().withTimeout(REQUEST_TIMEOUT).put("sample_key", "sample_value").join();
        // revision start at 1
        out.println("current revision: " + resp.header().revision());
    }

    public static void main(String[] args) throws Exception {
        Example.main(new KvPut(), args);
    }
}
