package dev.etcdj.examples;

import static dev.etcdj.client.Options.*;

import dev.etcdj.client.*;
import java.io.PrintStream;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/** WatchProgressNotify: a response without events that says how far the watch has got. */
public final class WatchProgressNotify implements Example {

    @Override
    public void run(EtcdClient client, PrintStream out) throws Exception {
        CompletableFuture<WatchResponse> first = new CompletableFuture<>();
        try (Watcher w = client.watch().watch("foo", first::complete, progressNotify())) {
            w.created().get(10, TimeUnit.SECONDS); // a progress request reaches only created watches
            // etcd sends progress notifications every few minutes; ask for one now.
            client.watch().requestProgress();
            WatchResponse wresp = first.get(10, TimeUnit.SECONDS);
            out.println("wresp.IsProgressNotify: " + wresp.isProgressNotify());
        }
    }

    public static void main(String[] args) throws Exception {
        Example.main(new WatchProgressNotify(), args);
    }
}
