package dev.etcdj.cli.output;

import java.io.PrintStream;

/** What every --write-out printer has: the stream it writes to and the format's name. */
abstract class OutputPrinter implements Printer {

    final PrintStream out;
    private final String format;

    OutputPrinter(PrintStream out, String format) {
        this.out = out;
        this.format = format;
    }

    @Override
    public final String format() {
        return format;
    }
}
