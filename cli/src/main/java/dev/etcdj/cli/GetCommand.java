package dev.etcdj.cli;

import dev.etcdj.cli.output.FieldsPrinter;
import dev.etcdj.cli.output.SimplePrinter;
import dev.etcdj.client.Bytes;
import dev.etcdj.client.GetOption;
import dev.etcdj.client.GetResponse;
import dev.etcdj.client.Op;
import dev.etcdj.client.Options;
import dev.etcdj.client.SortOrder;
import dev.etcdj.client.SortTarget;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import picocli.CommandLine.Model.CommandSpec;

final class GetCommand extends EtcdctlCommand implements RootCommand.Modeled {

    String consistency;
    String order;
    String sortBy;
    long limit;
    boolean prefix;
    boolean fromKey;
    long rev;
    boolean keysOnly;
    boolean countOnly;
    boolean printValueOnly;

    @Override
    public CommandSpec model() {
        Model m = model("get", "Gets the key or a range of keys", "get [options] <key> [range_end]");
        m.option("consistency", "--consistency").defaultValue("l").description("Linearizable(l) or Serializable(s)");
        m.option("order", "--order").defaultValue("").description("Order of results; ASCEND or DESCEND (ASCEND by default)");
        m.option("sortBy", "--sort-by").defaultValue("").description("Sort target; CREATE, KEY, MODIFY, VALUE, or VERSION");
        m.option("limit", "--limit").defaultValue("0").description("Maximum number of results");
        m.option("prefix", "--prefix").description("Get keys with matching prefix");
        m.option("fromKey", "--from-key").description("Get keys that are greater than or equal to the given key using byte compare");
        m.option("rev", "--rev").defaultValue("0").description("Specify the kv revision");
        m.option("keysOnly", "--keys-only").description("Get only the keys");
        // etcdctl 3.5's flag; hidden so that the help text stays 3.4's.
        m.option("countOnly", "--count-only").hidden(true).description("Get only the count");
        m.option("printValueOnly", "--print-value-only").description("Only write values when using the \"simple\" output format");
        return m.spec();
    }

    @Override
    public Integer call() {
        Cli cli = cli();
        Op.Get op = op();
        var client = cli.client();
        if (countOnly && !(cli.printer() instanceof FieldsPrinter)) {
            throw badArgs("--count-only is only for `--write-out=fields`");
        }
        GetResponse r = (GetResponse) cli.await(client.kv().execute(op));
        if (printValueOnly) {
            if (!(cli.printer() instanceof SimplePrinter simple)) {
                throw badArgs("print-value-only is only for `--write-out=simple`");
            }
            simple.valueOnly(true);
        }
        cli.printer().get(r);
        return 0;
    }

    /** etcdctl's getGetOp, checks in the same order. */
    Op.Get op() {
        if (cmd.args.isEmpty()) {
            throw badArgs("get command needs one argument as key and an optional argument as range_end");
        }
        if (prefix && fromKey) {
            throw badArgs("`--prefix` and `--from-key` cannot be set at the same time, choose one");
        }
        if (keysOnly && countOnly) {
            throw badArgs("`--keys-only` and `--count-only` cannot be set at the same time, choose one");
        }
        List<GetOption> opts = new ArrayList<>();
        switch (consistency) {
            case "s" -> opts.add(Options.serializable());
            case "l" -> { }
            default -> throw new CliException(CliException.EXIT_BAD_FEATURE,
                    "unknown consistency flag " + GoValues.quote(consistency));
        }
        Bytes key = keyWithRange(prefix, fromKey, opts);
        if (limit != 0) {
            opts.add(Options.limit(limit));
        }
        if (rev > 0) {
            opts.add(Options.revision(rev));
        }
        SortOrder sortOrder = switch (order.toUpperCase(Locale.ROOT)) {
            case "ASCEND" -> SortOrder.ASCEND;
            case "DESCEND" -> SortOrder.DESCEND;
            case "" -> SortOrder.NONE;
            default -> throw new CliException(CliException.EXIT_BAD_FEATURE, "bad sort order " + order);
        };
        SortTarget target = switch (sortBy.toUpperCase(Locale.ROOT)) {
            case "CREATE" -> SortTarget.CREATE;
            case "KEY", "" -> SortTarget.KEY;
            case "MODIFY" -> SortTarget.MOD;
            case "VALUE" -> SortTarget.VALUE;
            case "VERSION" -> SortTarget.VERSION;
            default -> throw new CliException(CliException.EXIT_BAD_FEATURE, "bad sort target " + sortBy);
        };
        // clientv3.WithSort: ascending by key is the server's natural order, so it is sent as no sort at all.
        opts.add(Options.sort(target, target == SortTarget.KEY && sortOrder == SortOrder.ASCEND ? SortOrder.NONE : sortOrder));
        if (keysOnly) {
            opts.add(Options.keysOnly());
        }
        if (countOnly) {
            opts.add(Options.countOnly());
        }
        return Op.get(key, opts.toArray(GetOption[]::new));
    }
}
