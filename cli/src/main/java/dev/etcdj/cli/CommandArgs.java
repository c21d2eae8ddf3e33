package dev.etcdj.cli;

import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Parameters;

/**
 * What nearly every etcdctl command takes: the help flag and its positional arguments, which cobra
 * hands to the command unchecked (each command checks their count and prints its own error).
 * Mixed in with {@code @Mixin CommandArgs cmd;}, the arguments are then {@code cmd.args}.
 */
final class CommandArgs extends HelpOption {

    @Parameters(hidden = true)
    List<String> args = new ArrayList<>();

    /** The arguments when there are exactly {@code n}; otherwise etcdctl's argument error {@code usage}. */
    List<String> exactly(int n, String usage) {
        if (args.size() != n) {
            throw BaseCommand.badArgs(usage);
        }
        return args;
    }

    /** The one argument, or etcdctl's argument error {@code usage}. */
    String one(String usage) {
        return exactly(1, usage).get(0);
    }
}
