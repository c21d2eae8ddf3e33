package dev.etcdj.examples;

import static dev.etcdj.client.Options.*;

import dev.etcdj.client.*;
import java.io.PrintStream;


/** Lease KeepAliveOnce: renew a lease once. */
public final class LeaseKeepAliveOnce implements Example {

    @Override
    public void run(EtcdClient client, PrintStream out) throws Exception {
        LeaseGrantResponse resp = client.lease().grant(5).join();
        client.kv().put("foo", "bar", lease(resp.leaseId())).join();
        // to renew the lease only once
        LeaseKeepAliveResponse ka = client.lease().keepAliveOnce(resp.leaseId()).join();
        out.println("lease renewed once with TTL " + ka.ttl() + "s");
    }

    public static void main(String[] args) throws Exception {
        Example.main(new LeaseKeepAliveOnce(), args);
    }
}
