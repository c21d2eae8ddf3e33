package dev.etcdj.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** Prints the etcdctl version whose behaviour etcdj reproduces, as etcdctl prints its own. */
@Command(name = "version", description = "Prints the version of etcdctl", customSynopsis = "version")
final class VersionCommand extends BaseCommand {

    @Mixin
    HelpOption help;

    @Override
    public Integer call() {
        cli().out.println("etcdctl version: " + Usage.VERSION);
        cli().out.println("API version: " + Usage.API_VERSION);
        return 0;
    }
}
