package dev.etcdj.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** The root command: etcdctl's global flags and its commands. Not runnable by itself: prints its usage. */
@Command(name = "etcdctl", description = "A simple command line client for etcd3.",
        customSynopsis = "etcdctl",
        subcommands = {GetCommand.class, PutCommand.class, DelCommand.class, TxnCommand.class,
                CompactionCommand.class, WatchCommand.class, VersionCommand.class, LeaseCommand.class,
                ServeCommand.class, DemoCommand.class,
                MemberCommand.class, EndpointCommand.class, DefragCommand.class, AlarmCommand.class, SnapshotCommand.class,
                MoveLeaderCommand.class, AuthCommand.class, UserCommand.class, RoleCommand.class,
                LockCommand.class, ElectCommand.class, MakeMirrorCommand.class,
                CheckCommand.class})
final class RootCommand {

    @Mixin
    GlobalOptions global = new GlobalOptions();

    @Mixin
    HelpOption help;

    /** Set by {@link Main} before the command runs. */
    Cli cli;
}
