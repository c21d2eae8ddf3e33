package dev.etcdj.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** The root command: etcdctl's global flags and its commands. Not runnable by itself: prints its usage. */
@Command(name = "etcdctl", description = "A simple command line client for etcd3.",
        customSynopsis = "etcdctl",
        subcommands = {GetCommand.class, PutCommand.class, DelCommand.class, TxnCommand.class,
                CompactionCommand.class, WatchCommand.class, VersionCommand.class, LeaseCommand.class,
                ServeCommand.class, DemoCommand.class})
final class RootCommand {

    @Mixin
    GlobalOptions global = new GlobalOptions();

    @Option(names = {"-h", "--help"}, usageHelp = true, description = "help for etcdctl")
    boolean help;

    /** Set by {@link Main} before the command runs. */
    Cli cli;
}
