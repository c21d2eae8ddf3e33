package dev.etcdj.cli;

import picocli.CommandLine.Model.CommandSpec;

final class CompactionCommand extends EtcdctlCommand implements RootCommand.Modeled {

    boolean physical;

    @Override
    public CommandSpec model() {
        Model m = model("compaction", "Compacts the event history in etcd",
                "compaction [options] <revision>");
        m.option("physical", "--physical")
                .description("'true' to wait for compaction to physically remove all old revisions");
        return m.spec();
    }

    @Override
    public Integer call() {
        cmd.exactly(1, "compaction command needs 1 argument");
        long rev;
        try {
            rev = GoValues.parseInt(cmd.args.get(0), 10);
        } catch (GoValues.BadValue e) {
            throw new CliException(CliException.EXIT_ERROR, e.getMessage());
        }
        Cli cli = cli();
        cli.await(cli.client().kv().compact(rev, physical));
        cli.out.println("compacted revision " + rev);
        return 0;
    }
}
