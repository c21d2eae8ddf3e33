package dev.etcdj.cli;

import dev.etcdj.client.Bytes;
import dev.etcdj.client.DeleteOption;
import dev.etcdj.client.DeleteResponse;
import dev.etcdj.client.Op;
import dev.etcdj.client.Options;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Model.CommandSpec;

final class DelCommand extends EtcdctlCommand implements RootCommand.Modeled {

    boolean prefix;
    boolean prevKv;
    boolean fromKey;

    @Override
    public CommandSpec model() {
        Model m = model("del", "Removes the specified key or range of keys [key, range_end)", "del [options] <key> [range_end]");
        m.option("prefix", "--prefix").description("delete keys with matching prefix");
        m.option("prevKv", "--prev-kv").description("return deleted key-value pairs");
        m.option("fromKey", "--from-key").description("delete keys that are greater than or equal to the given key using byte compare");
        return m.spec();
    }

    @Override
    public Integer call() {
        Cli cli = cli();
        Op.Delete op = op();
        DeleteResponse r = (DeleteResponse) cli.await(cli.client().kv().execute(op));
        cli.printer().del(r);
        return 0;
    }

    /** etcdctl's getDelOp. */
    Op.Delete op() {
        if (cmd.args.isEmpty() || cmd.args.size() > 2) {
            throw badArgs("del command needs one argument as key and an optional argument as range_end");
        }
        if (prefix && fromKey) {
            throw badArgs("`--prefix` and `--from-key` cannot be set at the same time, choose one");
        }
        List<DeleteOption> opts = new ArrayList<>();
        Bytes key = keyWithRange(prefix, fromKey, opts);
        if (prevKv) {
            opts.add(Options.prevKv());
        }
        return Op.delete(key, opts.toArray(DeleteOption[]::new));
    }
}
