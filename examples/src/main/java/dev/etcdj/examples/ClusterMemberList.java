package dev.etcdj.examples;

import static dev.etcdj.client.Options.*;

import dev.etcdj.client.*;
import java.io.PrintStream;


/** Cluster MemberList: how many members the cluster has. */
public final class ClusterMemberList implements Example {

    @Override
    public void run(EtcdClient client, PrintStream out) throws Exception {
        MemberListResponse resp = client.cluster().memberList().join();
        out.println("members: " + resp.members().size());
    }

    public static void main(String[] args) throws Exception {
        Example.main(new ClusterMemberList(), args);
    }
}
