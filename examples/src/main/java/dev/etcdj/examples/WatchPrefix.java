package dev.etcdj.examples;

import static dev.etcdj.client.Options.*;

import dev.etcdj.client.*;
import java.io.PrintStream;

/** WatchPrefix: events of every key with a prefix. */
public final class WatchPrefix implements Example {

    @Override
    public void run(EtcdClient client, PrintStream out) throws Exception {
        WatchKey.watchThenPut(client, out, "foo1", prefix());
    }

    public static void main(String[] args) throws Exception {
        Example.main(new WatchPrefix(), args);
    }
}
