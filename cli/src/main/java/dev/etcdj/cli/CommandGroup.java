package dev.etcdj.cli;

import picocli.CommandLine.Mixin;

/**
 * A command whose subcommands are its {@code @Command} methods (lease, member, user, ...). Run by
 * itself, even with extra arguments, it prints its usage, as cobra does; its methods share the
 * helpers of {@link BaseCommand}.
 */
abstract class CommandGroup extends BaseCommand {

    @Mixin
    CommandArgs cmd;
}
