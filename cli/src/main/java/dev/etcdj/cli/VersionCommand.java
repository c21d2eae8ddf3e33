package dev.etcdj.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** Prints the etcdctl version whose behaviour etcdj reproduces, as etcdctl prints its own. */
@Command(name = "version", description = "Prints the version of etcdctl", customSynopsis = "version")
final class VersionCommand extends BaseCommand implements Callable<Integer> {

    @Mixin
    HelpOption help;

    @Override
    public Integer call() {
        cli().out.println("etcdctl version: " + Usage.VERSION);
        cli().out.println("API version: " + Usage.API_VERSION);
        return 0;
    }
}
