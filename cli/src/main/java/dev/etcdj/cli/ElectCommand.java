package dev.etcdj.cli;

import dev.etcdj.client.EtcdClient;
import dev.etcdj.client.EtcdException;
import dev.etcdj.client.GetResponse;
import dev.etcdj.client.KeyValue;
import dev.etcdj.client.ResponseHeader;
import dev.etcdj.recipes.Election;
import dev.etcdj.recipes.Session;
import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;
import picocli.CommandLine.Model.CommandSpec;

/**
 * etcdctl's elect (elect_command.go) on the {@link Election} recipe, which keeps Go's key layout:
 * with a proposal it campaigns, prints its key once elected and leads until interrupted (then
 * resigns); with {@code --listen} it prints each leader and each value a leader proclaims.
 */
final class ElectCommand extends SessionCommand implements RootCommand.Modeled {

    boolean listen;

    @Override
    public CommandSpec model() {
        Model m = model("elect", "Observes and participates in leader election",
                "elect <election-name> [proposal]");
        m.option("listen", "-l", "--listen")
                .description("observation mode");
        return m.spec();
    }

    @Override
    public Integer call() throws InterruptedException {
        if (cmd.args.size() != 1 && cmd.args.size() != 2) {
            throw badArgs("elect takes one election name argument and an optional proposal argument");
        }
        Cli cli = cli();
        EtcdClient client = cli.clientWithoutDeadline();
        if (cmd.args.size() == 1) {
            if (!listen) {
                throw badArgs("no proposal argument but -l not set");
            }
            return observe(cli, client, cmd.args.get(0));
        }
        if (listen) {
            throw badArgs("proposal given but -l is set");
        }
        Session session = awaitOrInterrupt(Session.createAsync(client, Session.DEFAULT_TTL_SECONDS));
        Election election = new Election(session, cmd.args.get(0));
        awaitOrInterrupt(election.campaign(cmd.args.get(1)));
        cli.printer().get(awaitOrInterrupt(client.kv().get(election.key())));
        cli.out.flush();
        return untilInterruptedOrEnded(session, election::resign, "elect: session expired");
    }

    /** Prints the leader as Go's Observe hands it over: a get response holding the leader's key-value. */
    private static int observe(Cli cli, EtcdClient client, String name) throws InterruptedException {
        LinkedBlockingQueue<Object> seen = new LinkedBlockingQueue<>();
        cli.interrupted.thenRun(() -> seen.add(cli.interrupted));
        try (Election.Observation o = Election.observe(client, name, new Election.Listener() {
            @Override
            public void onLeader(KeyValue leader) {
                seen.add(leader);
            }

            @Override
            public void onError(EtcdException error) {
                seen.add(error);
            }
        })) {
            while (true) {
                Object next = seen.take();
                if (next == cli.interrupted) {
                    return 0;
                }
                if (!(next instanceof KeyValue leader)) {
                    throw new CliException(CliException.EXIT_ERROR, "elect: observer lost");
                }
                cli.printer().get(new GetResponse(ResponseHeader.EMPTY, List.of(leader), false, 1));
                cli.out.flush();
            }
        }
    }
}
