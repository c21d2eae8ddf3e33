package dev.etcdj.examples;

import static dev.etcdj.client.Options.*;

import dev.etcdj.client.*;
import java.io.PrintStream;


/** Lease Revoke: revoking a lease deletes its keys. */
public final class LeaseRevoke implements Example {

    @Override
    public void run(EtcdClient client, PrintStream out) throws Exception {
        LeaseGrantResponse resp = client.lease().grant(5).join();
        client.kv().put("foo", "bar", lease(resp.leaseId())).join();
        // revoking lease expires the key attached to its lease ID
        client.lease().revoke(resp.leaseId()).join();
        GetResponse gresp = client.kv().get("foo").join();
        out.println("number of keys: " + gresp.kvs().size());
    }

    public static void main(String[] args) throws Exception {
        Example.main(new LeaseRevoke(), args);
    }
}
