package dev.etcdj.cli;

import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "compaction", description = "Compacts the event history in etcd", customSynopsis = "compaction [options] <revision>")
final class CompactionCommand extends BaseCommand {

    @Option(names = "--physical", arity = "0..1", fallbackValue = "true", defaultValue = "false",
            description = "'true' to wait for compaction to physically remove all old revisions")
    boolean physical;

    @Option(names = {"-h", "--help"}, usageHelp = true, description = "help for compaction")
    boolean help;

    @Parameters(hidden = true)
    List<String> args = new ArrayList<>();

    @Override
    public Integer call() {
        if (args.size() != 1) {
            throw badArgs("compaction command needs 1 argument");
        }
        long rev;
        try {
            rev = GoValues.parseInt(args.get(0), 10);
        } catch (GoValues.BadValue e) {
            throw new CliException(CliException.EXIT_ERROR, e.getMessage());
        }
        Cli cli = cli();
        cli.await(cli.client().kv().compact(rev, physical));
        cli.out.println("compacted revision " + rev);
        return 0;
    }
}
