package dev.etcdj.cli;

import dev.etcdj.recipes.Session;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.function.Supplier;

/**
 * What lock and elect share: waits with no deadline that Ctrl-C ends (as etcdctl's context.TODO
 * with a signal handler), and holding on until interrupted or until the session is lost.
 */
abstract class SessionCommand extends EtcdctlCommand {

    /** Waits for {@code f}; Ctrl-C cancels it and fails as etcdctl's cancelled context does. */
    <T> T awaitOrInterrupt(CompletableFuture<T> f) {
        Cli cli = cli();
        CompletableFuture.anyOf(f, cli.interrupted).handle((v, e) -> null).join();
        if (!f.isDone()) {
            f.cancel(true);
            throw new CliException(CliException.EXIT_ERROR, "context canceled");
        }
        return join(f);
    }

    /**
     * Holds on until Ctrl-C, then runs {@code release} (unlock, resign) and exits 0; a session that
     * ends first fails with {@code lost}.
     */
    int untilInterruptedOrEnded(Session session, Supplier<CompletableFuture<Void>> release, String lost) {
        Cli cli = cli();
        CompletableFuture.anyOf(cli.interrupted, session.done()).handle((v, e) -> null).join();
        if (!cli.interrupted.isDone()) {
            throw new CliException(CliException.EXIT_ERROR, lost);
        }
        join(release.get());
        return 0;
    }

    private static <T> T join(CompletableFuture<T> f) {
        try {
            return f.get();
        } catch (ExecutionException | CompletionException e) {
            throw new CliException(CliException.EXIT_ERROR, Cli.errorText(e.getCause()));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CliException(CliException.EXIT_INTERRUPTED, "context canceled");
        }
    }
}
