package dev.etcdj.examples;

import static dev.etcdj.client.Options.*;

import dev.etcdj.client.*;
import java.io.PrintStream;


/** Lease Create: a key that lives as long as its lease. */
public final class LeaseCreate implements Example {

    @Override
    public void run(EtcdClient client, PrintStream out) throws Exception {
        // minimum lease TTL is 5-second
        LeaseGrantResponse resp = client.lease().grant(5).join();
        // after 5 seconds, the key foo will be removed
        client.kv().put("foo", "bar", lease(resp.leaseId())).join();
        out.println("lease granted with TTL " + resp.ttl() + "s; foo attached");
    }

    public static void main(String[] args) throws Exception {
        Example.main(new LeaseCreate(), args);
    }
}
