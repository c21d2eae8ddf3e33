package dev.etcdj.cli;

/**
 * What etcdctl's ExitWithError does: print {@code Error: <message>} on stderr and exit with the code.
 * Thrown by commands, turned into output and an exit code by {@link Main}.
 */
public class CliException extends RuntimeException {

    // etcdctl/ctlv3/command/error.go
    public static final int EXIT_ERROR = 1;
    public static final int EXIT_BAD_CONNECTION = 2;
    public static final int EXIT_INVALID_INPUT = 3;
    public static final int EXIT_BAD_FEATURE = 4;
    public static final int EXIT_INTERRUPTED = 5;
    public static final int EXIT_IO = 6;
    public static final int EXIT_BAD_ARGS = 128;

    private final int exitCode;

    public CliException(int exitCode, String message) {
        super(message, null, false, false);
        this.exitCode = exitCode;
    }

    public int exitCode() {
        return exitCode;
    }
}
