package dev.etcdj.examples;

import static dev.etcdj.client.Options.*;

import dev.etcdj.client.*;
import java.io.PrintStream;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/** Lease KeepAlive: keep a lease, and so its keys, alive. */
public final class LeaseKeepAlive implements Example {

    @Override
    public void run(EtcdClient client, PrintStream out) throws Exception {
        LeaseGrantResponse resp = client.lease().grant(5).join();
        client.kv().put("foo", "bar", lease(resp.leaseId())).join();
        // the key foo is kept as long as the keep-alive runs; wait for its first renewal
        CompletableFuture<LeaseKeepAliveResponse> first = new CompletableFuture<>();
        try (KeepAlive ka = client.lease().keepAlive(resp.leaseId(), new KeepAliveListener() {
            @Override
            public void onRenewed(LeaseKeepAliveResponse r) {
                first.complete(r);
            }

            @Override
            public void onError(EtcdException error) {
                first.completeExceptionally(error);
            }
        })) {
            out.println("lease kept alive with TTL " + first.get(10, TimeUnit.SECONDS).ttl() + "s");
        }
    }

    public static void main(String[] args) throws Exception {
        Example.main(new LeaseKeepAlive(), args);
    }
}
