package dev.etcdj.examples;

import static dev.etcdj.client.Options.*;

import dev.etcdj.client.*;
import java.io.PrintStream;


/** Cluster MemberLeader: the leader's name. */
public final class ClusterMemberLeader implements Example {

    @Override
    public void run(EtcdClient client, PrintStream out) throws Exception {
        Member leader = client.cluster().memberLeader().join();
        out.println("leader: " + leader.name());
    }

    public static void main(String[] args) throws Exception {
        Example.main(new ClusterMemberLeader(), args);
    }
}
