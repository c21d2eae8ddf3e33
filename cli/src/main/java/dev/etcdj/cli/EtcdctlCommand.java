package dev.etcdj.cli;

import picocli.CommandLine.Mixin;

/**
 * A runnable etcdctl command: the help flag and positional arguments of {@link CommandArgs} come
 * with it, so a command declares only its own flags. (etcdj's own commands, such as {@code serve},
 * extend {@link BaseCommand} and choose their mixins themselves.)
 */
abstract class EtcdctlCommand extends BaseCommand {

    @Mixin
    CommandArgs cmd;
}
