package dev.etcdj.proto.internal;

import java.util.ArrayDeque;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;

/**
 * Runs tasks one at a time, in submission order, on a shared executor. Used wherever callbacks of
 * one thing (a client lease's listeners, a server-side election observer) must stay in order
 * without holding a thread of their own: a task that blocks delays only its own queue. A task
 * that throws is logged and does not stop the ones after it. When the shared executor refuses
 * work (it is shutting down) the queue is drained on the caller's thread, so terminal callbacks
 * are still delivered.
 */
public final class SerialExecutor implements Executor {

    private static final System.Logger LOG = System.getLogger(SerialExecutor.class.getName());

    private final Executor delegate;
    private final String what;
    private final ArrayDeque<Runnable> tasks = new ArrayDeque<>();
    private boolean running;

    /**
     * @param delegate the shared executor the tasks run on
     * @param what     what the tasks are, for the log line when one throws (e.g. "keep-alive listener")
     */
    public SerialExecutor(Executor delegate, String what) {
        this.delegate = delegate;
        this.what = what;
    }

    @Override
    public void execute(Runnable task) {
        synchronized (tasks) {
            tasks.add(task);
            if (running) {
                return;
            }
            running = true;
        }
        try {
            delegate.execute(this::drain);
        } catch (RejectedExecutionException e) {
            drain();
        }
    }

    private void drain() {
        while (true) {
            Runnable next;
            synchronized (tasks) {
                next = tasks.poll();
                if (next == null) {
                    running = false;
                    return;
                }
            }
            try {
                next.run();
            } catch (RuntimeException | Error e) {
                LOG.log(System.Logger.Level.WARNING, what + " threw", e);
            }
        }
    }
}
