package dev.etcdj.cli;

import dev.etcdj.client.Bytes;
import dev.etcdj.client.Options;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Mixin;

/**
 * A runnable etcdctl command: the help flag and positional arguments of {@link CommandArgs} come
 * with it, so a command declares only its own flags. (etcdj's own commands, such as {@code serve},
 * extend {@link BaseCommand} and choose their mixins themselves.)
 */
abstract class EtcdctlCommand extends BaseCommand implements Callable<Integer> {

    @Mixin
    CommandArgs cmd;

    /**
     * The start of a command's model built in code (see {@link Model}): its name, texts, help flag
     * and positional arguments, which an annotated command gets from the mixin above.
     */
    Model model(String name, String description, String synopsis) {
        cmd = new CommandArgs();
        return Model.of(this, name, description, synopsis).args(cmd);
    }

    /**
     * The key of get and del (the first argument) with its range added to {@code opts}: the
     * range_end argument, {@code --prefix} or {@code --from-key}. A prefix or from-key of the empty
     * key covers every key, from "\0", as etcdctl sends it.
     */
    Bytes keyWithRange(boolean prefix, boolean fromKey, List<? super Options.KeyRange> opts) {
        Bytes key = Bytes.of(cmd.args.get(0));
        if (cmd.args.size() > 1) {
            if (prefix || fromKey) {
                throw badArgs("too many arguments, only accept one argument when `--prefix` or `--from-key` is set");
            }
            opts.add(Options.range(cmd.args.get(1)));
        }
        if (!prefix && !fromKey) {
            return key;
        }
        boolean everyKey = key.isEmpty();
        opts.add(prefix && !everyKey ? Options.prefix() : Options.fromKey());
        return everyKey ? Bytes.ZERO : key;
    }
}
