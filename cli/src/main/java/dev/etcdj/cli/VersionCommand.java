package dev.etcdj.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Model.CommandSpec;

/** Prints the etcdctl version whose behaviour etcdj reproduces, as etcdctl prints its own. */
final class VersionCommand extends BaseCommand implements Callable<Integer>, RootCommand.Modeled {

    @Override
    public CommandSpec model() {
        return Model.of(this, "version", "Prints the version of etcdctl", "version").help().spec();
    }

    @Override
    public Integer call() {
        cli().out.println("etcdctl version: " + Usage.VERSION);
        cli().out.println("API version: " + Usage.API_VERSION);
        return 0;
    }
}
