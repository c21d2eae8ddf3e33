package dev.etcdj.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** What every runnable command shares: access to the run's {@link Cli}. */
abstract class BaseCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    Cli cli() {
        return ((RootCommand) spec.root().userObject()).cli;
    }

    static CliException badArgs(String message) {
        return new CliException(CliException.EXIT_BAD_ARGS, message);
    }
}
