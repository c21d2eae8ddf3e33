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

/** etcdctl's member commands (member_command.go). */
@Command(name = "member", description = "Membership related commands", customSynopsis = "member <subcommand>",
        subcommands = {MemberCommand.Add.class, MemberCommand.Remove.class, MemberCommand.Update.class,
                MemberCommand.ListMembers.class, MemberCommand.Promote.class})
final class MemberCommand {

    @Mixin
    CommandArgs cmd;

    @Command(name = "add", description = "Adds a member into the cluster", customSynopsis = "add <memberName> [options]")
    static final class Add extends AdminCommand {
        @Option(names = "--peer-urls", defaultValue = "", description = "comma separated peer URLs for the new member.")
        String peerUrls;

        @Option(names = "--learner", arity = "0..1", fallbackValue = "true", defaultValue = "false",
                description = "indicates if the new member is raft learner")
        boolean learner;

        @Override
        public Integer call() {
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
            if (peerUrls.isEmpty()) {
                throw badArgs("member peer urls not provided");
            }
            List<String> urls = Arrays.asList(peerUrls.split(",", -1));
            Cli cli = cli();
            MemberAddResponse r = cli.await(cli.client().cluster().memberAdd(urls, learner));
            display(p -> p.memberAdd(r));
            if (cli().printer() instanceof SimplePrinter) {
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
    }

    @Command(name = "remove", description = "Removes a member from the cluster", customSynopsis = "remove <memberID>")
    static final class Remove extends AdminCommand {
        @Override
        public Integer call() {
            long id = memberIdArg(cmd.one("member ID is not provided"));
            return show(cli().client().cluster().memberRemove(id), (p, r) -> p.memberRemove(id, r));
        }
    }

    @Command(name = "update", description = "Updates a member in the cluster", customSynopsis = "update <memberID> [options]")
    static final class Update extends AdminCommand {
        @Option(names = "--peer-urls", defaultValue = "", description = "comma separated peer URLs for the updated member.")
        String peerUrls;

        @Override
        public Integer call() {
            cmd.exactly(1, "member ID is not provided");
            long id = memberIdArg(cmd.args.get(0));
            if (peerUrls.isEmpty()) {
                throw badArgs("member peer urls not provided");
            }
            List<String> urls = Arrays.asList(peerUrls.split(",", -1));
            return show(cli().client().cluster().memberUpdate(id, urls), (p, r) -> p.memberUpdate(id, r));
        }
    }

    @Command(name = "list", description = "Lists all members in the cluster", customSynopsis = "list",
            footer = {"When --write-out is set to simple, this command prints out comma-separated member lists for each endpoint.",
                    "The items in the lists are ID, Status, Name, Peer Addrs, Client Addrs, Is Learner.", ""})
    static final class ListMembers extends AdminCommand {
        @Override
        public Integer call() {
            return show(cli().client().cluster().memberList(), Printer::memberList);
        }
    }

    @Command(name = "promote", description = "Promotes a non-voting member in the cluster", customSynopsis = "promote <memberID>",
            footer = {"Promotes a non-voting learner member to a voting one in the cluster.", ""})
    static final class Promote extends AdminCommand {
        @Override
        public Integer call() {
            long id = memberIdArg(cmd.one("member ID is not provided"));
            return show(cli().client().cluster().memberPromote(id), (p, r) -> p.memberPromote(id, r));
        }
    }
}
