package dev.etcdj.cli;

import dev.etcdj.cli.output.SimplePrinter;
import dev.etcdj.client.KeepAlive;
import dev.etcdj.client.KeepAliveListener;
import dev.etcdj.client.LeaseGrantResponse;
import dev.etcdj.client.LeaseKeepAliveResponse;
import dev.etcdj.client.LeaseRevokeResponse;
import dev.etcdj.client.LeaseTimeToLiveResponse;
import dev.etcdj.cli.output.GoFormat;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** etcdctl's lease commands (lease_command.go): each subcommand a method. */
@Command(name = "lease", description = "Lease related commands", customSynopsis = "lease <subcommand>")
final class LeaseCommand extends CommandGroup {

    static long leaseFromArgs(String arg) {
        try {
            return GoValues.parseInt(arg, 16);
        } catch (GoValues.BadValue e) {
            throw BaseCommand.badArgs("bad lease ID arg (" + e.getMessage() + "), expecting ID in Hex");
        }
    }

    @Command(name = "grant", description = "Creates leases", customSynopsis = "grant <ttl>")
    int grant(@Mixin CommandArgs cmd) {
        String arg = cmd.one("lease grant command needs TTL argument");
        long ttl;
        try {
            ttl = GoValues.parseInt(arg, 10);
        } catch (GoValues.BadValue e) {
            throw badArgs("bad TTL (" + e.getMessage() + ")");
        }
        Cli cli = cli();
        LeaseGrantResponse r = cli.await(cli.client().lease().grant(ttl), CliException.EXIT_ERROR,
                m -> "failed to grant lease (" + m + ")");
        cli.printer().grant(r);
        return 0;
    }

    @Command(name = "revoke", description = "Revokes leases", customSynopsis = "revoke <leaseID>")
    int revoke(@Mixin CommandArgs cmd) {
        long id = leaseFromArgs(cmd.one("lease revoke command needs 1 argument"));
        Cli cli = cli();
        LeaseRevokeResponse r = cli.await(cli.client().lease().revoke(id), CliException.EXIT_ERROR,
                m -> "failed to revoke lease (" + m + ")");
        cli.printer().revoke(id, r);
        return 0;
    }

    @Command(name = "timetolive", description = "Get lease information", customSynopsis = "timetolive <leaseID> [options]")
    int timetolive(@Mixin CommandArgs cmd,
            @Option(names = "--keys", arity = "0..1", fallbackValue = "true", defaultValue = "false",
                    description = "Get keys attached to this lease") boolean keys) {
        long id = leaseFromArgs(cmd.one("lease timetolive command needs lease ID as argument"));
        Cli cli = cli();
        LeaseTimeToLiveResponse r = cli.await(cli.client().lease().timeToLive(id, keys),
                CliException.EXIT_BAD_CONNECTION, m -> m);
        cli.printer().timeToLive(r, keys);
        return 0;
    }

    @Command(name = "list", description = "List all active leases", customSynopsis = "list")
    int list(@Mixin CommandArgs cmd) {
        Cli cli = cli();
        cli.printer().leases(cli.await(cli.client().lease().leases(), CliException.EXIT_BAD_CONNECTION, m -> m));
        return 0;
    }

    @Command(name = "keep-alive", description = "Keeps leases alive (renew)", customSynopsis = "keep-alive [options] <leaseID>")
    int keepAlive(@Mixin CommandArgs cmd,
            @Option(names = "--once", arity = "0..1", fallbackValue = "true", defaultValue = "false",
                    description = "Resets the keep-alive time to its original value and exits immediately") boolean once)
            throws InterruptedException {
        long id = leaseFromArgs(cmd.one("lease keep-alive command needs lease ID as argument"));
        Cli cli = cli();
        if (once) {
            LeaseKeepAliveResponse r = cli.await(cli.client().lease().keepAliveOnce(id),
                    CliException.EXIT_BAD_CONNECTION, m -> m);
            cli.printer().keepAlive(r);
            return 0;
        }
        // Renewals are printed on this thread, in order, until the keep-alive ends (after its last
        // renewal: both go through the lease's callbacks in turn) or Ctrl-C.
        LinkedBlockingQueue<Object> events = new LinkedBlockingQueue<>();
        Object end = new Object();
        var printer = cli.printer();
        KeepAlive ka = cli.client().lease().keepAlive(id, new KeepAliveListener() {
            @Override
            public void onRenewed(LeaseKeepAliveResponse response) {
                events.add(response);
            }
        });
        ka.terminated().thenRun(() -> events.add(end));
        CompletableFuture<Void> stop = cli.interrupted.thenRun(() -> events.add(cli.interrupted));
        try {
            while (true) {
                Object e = events.take();
                if (e == cli.interrupted) {
                    return 130;
                }
                if (e == end) {
                    break;
                }
                printer.keepAlive((LeaseKeepAliveResponse) e);
                cli.out.flush();
            }
        } finally {
            stop.cancel(false);
            ka.close();
        }
        if (printer instanceof SimplePrinter) {
            cli.out.println("lease " + GoFormat.hex16(id) + " expired or revoked.");
        }
        return 0;
    }
}
