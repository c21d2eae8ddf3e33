package dev.etcdj.cli;

import dev.etcdj.client.Member;
import dev.etcdj.client.MemberAddResponse;
import dev.etcdj.cli.output.GoFormat;
import dev.etcdj.cli.output.Printer;
import dev.etcdj.cli.output.SimplePrinter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** etcdctl's member commands (member_command.go): each subcommand a method. */
@Command(name = "member", description = "Membership related commands", customSynopsis = "member <subcommand>")
final class MemberCommand extends CommandGroup {

    @Command(name = "add", description = "Adds a member into the cluster", customSynopsis = "add <memberName> [options]")
    int add(@Mixin CommandArgs cmd,
            @Option(names = "--peer-urls", defaultValue = "", description = "comma separated peer URLs for the new member.")
            String peerUrls,
            @Option(names = "--learner", arity = "0..1", fallbackValue = "true", defaultValue = "false",
                    description = "indicates if the new member is raft learner") boolean learner) {
        if (cmd.args.isEmpty()) {
            throw badArgs("member name not provided");
        }
        if (cmd.args.size() > 1) {
            StringBuilder ev = new StringBuilder("too many arguments");
            for (String s : cmd.args) {
                if (s.toLowerCase(Locale.ROOT).startsWith("http")) {
                    ev.append(", did you mean --peer-urls=").append(s);
                }
            }
            throw badArgs(ev.toString());
        }
        String name = cmd.args.get(0);
        List<String> urls = peerUrls(peerUrls);
        Cli cli = cli();
        MemberAddResponse r = cli.await(cli.client().cluster().memberAdd(urls, learner));
        display(p -> p.memberAdd(r));
        if (cli.printer() instanceof SimplePrinter) {
            List<String> conf = new ArrayList<>();
            for (Member m : r.members()) {
                for (String u : m.peerUrls()) {
                    conf.add((m.id() == r.member().id() ? name : m.name()) + "=" + u);
                }
            }
            cli.out.print("\n");
            cli.out.println("ETCD_NAME=" + GoFormat.quote(name));
            cli.out.println("ETCD_INITIAL_CLUSTER=" + GoFormat.quote(String.join(",", conf)));
            cli.out.println("ETCD_INITIAL_ADVERTISE_PEER_URLS=" + GoFormat.quote(peerUrls));
            cli.out.println("ETCD_INITIAL_CLUSTER_STATE=\"existing\"");
        }
        return 0;
    }

    @Command(name = "remove", description = "Removes a member from the cluster", customSynopsis = "remove <memberID>")
    int remove(@Mixin CommandArgs cmd) {
        long id = memberIdArg(cmd.one("member ID is not provided"));
        return show(cli().client().cluster().memberRemove(id), (p, r) -> p.memberRemove(id, r));
    }

    @Command(name = "update", description = "Updates a member in the cluster", customSynopsis = "update <memberID> [options]")
    int update(@Mixin CommandArgs cmd,
            @Option(names = "--peer-urls", defaultValue = "", description = "comma separated peer URLs for the updated member.")
            String peerUrls) {
        long id = memberIdArg(cmd.one("member ID is not provided"));
        List<String> urls = peerUrls(peerUrls);
        return show(cli().client().cluster().memberUpdate(id, urls), (p, r) -> p.memberUpdate(id, r));
    }

    @Command(name = "list", description = "Lists all members in the cluster", customSynopsis = "list",
            footer = {"When --write-out is set to simple, this command prints out comma-separated member lists for each endpoint.",
                    "The items in the lists are ID, Status, Name, Peer Addrs, Client Addrs, Is Learner.", ""})
    int list(@Mixin CommandArgs cmd) {
        return show(cli().client().cluster().memberList(), Printer::memberList);
    }

    @Command(name = "promote", description = "Promotes a non-voting member in the cluster", customSynopsis = "promote <memberID>",
            footer = {"Promotes a non-voting learner member to a voting one in the cluster.", ""})
    int promote(@Mixin CommandArgs cmd) {
        long id = memberIdArg(cmd.one("member ID is not provided"));
        return show(cli().client().cluster().memberPromote(id), (p, r) -> p.memberPromote(id, r));
    }

    /** The --peer-urls of add and update, which etcdctl requires. */
    private static List<String> peerUrls(String flag) {
        if (flag.isEmpty()) {
            throw badArgs("member peer urls not provided");
        }
        return Arrays.asList(flag.split(",", -1));
    }
}
