package dev.etcdj.cli;

import dev.etcdj.client.EtcdClient;
import dev.etcdj.client.MoveLeaderResponse;
import dev.etcdj.client.StatusResponse;
import java.util.List;
import picocli.CommandLine.Model.CommandSpec;

/**
 * etcdctl's move-leader (move_leader_command.go): asks the endpoints' status in order until one is
 * the leader (a failing one ends the command), then has that member hand leadership over.
 */
final class MoveLeaderCommand extends EtcdctlCommand implements RootCommand.Modeled {

    @Override
    public CommandSpec model() {
        Model m = model("move-leader", "Transfers leadership to another etcd cluster member.",
                "move-leader <transferee-member-id>");
        return m.spec();
    }

    @Override
    public Integer call() {
        cmd.exactly(1, "move-leader command needs 1 argument");
        long target;
        try {
            target = parseHexId(cmd.args.get(0));
        } catch (GoValues.BadValue e) {
            throw badArgs(e.getMessage());
        }
        Cli cli = cli();
        List<String> endpoints = cli.endpoints();
        EtcdClient c = cli.client();
        String leaderEndpoint = null;
        long leaderId = 0;
        for (String ep : endpoints) {
            StatusResponse s = cli.await(c.maintenance().status(ep));
            if (s.header().memberId() == s.leader()) {
                leaderEndpoint = ep;
                leaderId = s.leader();
                break;
            }
        }
        if (leaderEndpoint == null) {
            throw badArgs("no leader endpoint given at [" + String.join(" ", endpoints) + "]");
        }
        // Sent through a client on the leader alone, as etcdctl's leaderCli.
        EtcdClient leader = endpoints.size() == 1 ? c : cli.clientFor(List.of(leaderEndpoint), true);
        MoveLeaderResponse r = cli.await(leader.maintenance().moveLeader(target));
        long from = leaderId;
        display(p -> p.moveLeader(from, target, r));
        return 0;
    }
}
