package dev.etcdj.cli;

import java.util.List;
import picocli.CommandLine.Model.CommandSpec;

/**
 * The root command: etcdctl's global flags and its commands. Not runnable by itself: prints its usage.
 * The commands are listed here, each with its name, so that {@link Main} can build only the one a
 * command line names.
 */
final class RootCommand {

    /**
     * One of the root's commands: its name and its class, either {@link Modeled} (its model is built in
     * code) or annotated (picocli builds its model from the annotations). A class, not a factory
     * lambda: each lambda is a class of its own that the JVM spins or maps at start.
     */
    record Sub(String name, Class<?> type) {

        /** What {@link Main} adds to the root: the command's model, or the annotated class. */
        Object command() {
            if (!Modeled.class.isAssignableFrom(type)) {
                return type;
            }
            try {
                return ((Modeled) type.getDeclaredConstructor().newInstance()).model();
            } catch (ReflectiveOperationException e) {
                throw new IllegalStateException("cannot make the " + name + " command", e);
            }
        }
    }

    /** A command whose picocli model is built in code ({@link Model}), not read from annotations. */
    interface Modeled {
        CommandSpec model();
    }

    /** Every command, in the order the root's help lists them. */
    static final List<Sub> COMMANDS = List.of(
            new Sub("get", GetCommand.class),
            new Sub("put", PutCommand.class),
            new Sub("del", DelCommand.class),
            new Sub("txn", TxnCommand.class),
            new Sub("compaction", CompactionCommand.class),
            new Sub("watch", WatchCommand.class),
            new Sub("version", VersionCommand.class),
            new Sub("lease", LeaseCommand.class),
            new Sub("serve", ServeCommand.class),
            new Sub("demo", DemoCommand.class),
            new Sub("member", MemberCommand.class),
            new Sub("endpoint", EndpointCommand.class),
            new Sub("defrag", DefragCommand.class),
            new Sub("alarm", AlarmCommand.class),
            new Sub("snapshot", SnapshotCommand.class),
            new Sub("move-leader", MoveLeaderCommand.class),
            new Sub("auth", AuthCommand.class),
            new Sub("user", UserCommand.class),
            new Sub("role", RoleCommand.class),
            new Sub("lock", LockCommand.class),
            new Sub("elect", ElectCommand.class),
            new Sub("make-mirror", MakeMirrorCommand.class),
            new Sub("check", CheckCommand.class));

    final GlobalOptions global = new GlobalOptions();

    /** Set by {@link Main} before the command runs. */
    Cli cli;

    CommandSpec model() {
        Model m = Model.of(this, "etcdctl", "A simple command line client for etcd3.", "etcdctl");
        global.declare(m);
        return m.help().spec();
    }
}
