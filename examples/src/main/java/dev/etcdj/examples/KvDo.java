package dev.etcdj.examples;

import static dev.etcdj.client.Options.*;

import dev.etcdj.client.*;
import java.io.PrintStream;


/** KV Do: run ops given as values. */
public final class KvDo implements Example {

    @Override
    public void run(EtcdClient client, PrintStream out) throws Exception {
        Op[] ops = {Op.put("put-key", "123"), Op.get("put-key"), Op.put("put-key", "456")};
        for (Op op : ops) {
            client.kv().execute(op).join();
        }
        out.println("put-key : " + client.kv().get("put-key").join().kvs().get(0).value());
    }

    public static void main(String[] args) throws Exception {
        Example.main(new KvDo(), args);
    }
}
