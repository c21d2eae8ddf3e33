package dev.etcdj.cli;

import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/**
 * The root command: etcdctl's global flags and its commands. Not runnable by itself: prints its usage.
 * The commands are listed here rather than in {@code @Command(subcommands=...)} so that {@link Main} can
 * build only the one a command line names.
 */
@Command(name = "etcdctl", description = "A simple command line client for etcd3.", customSynopsis = "etcdctl")
final class RootCommand {

    /** Every command, in the order the root's help lists them. */
    static final List<Class<?>> COMMANDS = List.of(GetCommand.class, PutCommand.class, DelCommand.class,
            TxnCommand.class, CompactionCommand.class, WatchCommand.class, VersionCommand.class, LeaseCommand.class,
            ServeCommand.class, DemoCommand.class,
            MemberCommand.class, EndpointCommand.class, DefragCommand.class, AlarmCommand.class, SnapshotCommand.class,
            MoveLeaderCommand.class, AuthCommand.class, UserCommand.class, RoleCommand.class,
            LockCommand.class, ElectCommand.class, MakeMirrorCommand.class,
            CheckCommand.class);

    @Mixin
    GlobalOptions global = new GlobalOptions();

    @Mixin
    HelpOption help;

    /** Set by {@link Main} before the command runs. */
    Cli cli;
}
