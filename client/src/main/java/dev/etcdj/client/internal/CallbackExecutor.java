package dev.etcdj.client.internal;

import java.util.List;
import java.util.Set;
import java.util.concurrent.AbstractExecutorService;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Where responses and user callbacks run: a few threads sharing one queue, plus one more whenever
 * callbacks block. A cached pool (grpc's default) hands every task to an idle thread and starts a
 * new one when none is waiting at that instant, so 100 concurrent calls kept about 100 threads
 * that each parked and woke per response; here {@code core} threads drain the queue without
 * parking while there is work. A callback that blocks must still delay only itself: a watchdog
 * checks, while tasks wait, whether fewer than {@code core} workers are making progress (the rest
 * run one task for longer than {@code stallNanos}) and then adds a worker. Idle workers end after
 * {@code keepAliveNanos}, so an idle client holds no threads.
 */
final class CallbackExecutor extends AbstractExecutorService {

    private final int core;
    private final long keepAliveNanos;
    private final long stallNanos;
    private final ThreadFactory threads;
    private final ScheduledExecutorService timer;
    private final LinkedBlockingQueue<Runnable> queue = new LinkedBlockingQueue<>();
    private final Set<Worker> workers = ConcurrentHashMap.newKeySet();
    private final AtomicInteger workerCount = new AtomicInteger();
    private final AtomicInteger idle = new AtomicInteger();
    private final AtomicBoolean watchdogArmed = new AtomicBoolean();
    private volatile boolean shutdown;
    private volatile boolean stopNow;

    CallbackExecutor(int core, long keepAliveNanos, long stallNanos, ThreadFactory threads,
            ScheduledExecutorService timer) {
        if (core < 1) {
            throw new IllegalArgumentException("core must be positive: " + core);
        }
        this.core = core;
        this.keepAliveNanos = keepAliveNanos;
        this.stallNanos = stallNanos;
        this.threads = threads;
        this.timer = timer;
    }

    @Override
    public void execute(Runnable task) {
        if (task == null) {
            throw new NullPointerException("task");
        }
        if (shutdown) {
            throw new RejectedExecutionException("etcdj: the client is closed");
        }
        queue.offer(task);
        if (idle.get() == 0) {
            if (workerCount.get() < core) {
                addWorker(core);
            }
            armWatchdog();
        }
        if (shutdown && queue.remove(task)) {
            throw new RejectedExecutionException("etcdj: the client is closed");
        }
    }

    /**
     * The view handed to gRPC (the channels' executor and offload executor): like {@link #execute}
     * but never refusing. gRPC runs some hand-overs inside a channel's SynchronizationContext, and
     * one that throws there is logged as "Panic!" and the task is lost: a connectivity callback
     * registered by a callback that read the state just before close, or the final status of a
     * call started on a closed channel. Such a late task still runs on a callback thread, never
     * inline on the caller (maybe a network thread, where no user callback may run), interrupted
     * like every task after {@link #shutdownNow}; that thread ends when the queue is empty again.
     * The client's own code keeps using {@link #execute}, whose refusal it turns into its typed
     * "closed" error.
     */
    Executor neverRefusing() {
        return task -> {
            try {
                execute(task);
            } catch (RejectedExecutionException closed) {
                queue.offer(task);
                if (workerCount.get() == 0) {
                    addWorker(1, true);
                }
            }
        };
    }

    /** Starts a worker unless there are {@code limit} already; whether it started one. */
    private boolean addWorker(int limit) {
        return addWorker(limit, false);
    }

    /** As above; {@code late} allows one after shutdown, to run what gRPC handed over since. */
    private boolean addWorker(int limit, boolean late) {
        for (;;) {
            int n = workerCount.get();
            if (n >= limit || shutdown && !late) {
                return false;
            }
            if (workerCount.compareAndSet(n, n + 1)) {
                break;
            }
        }
        Worker w = new Worker();
        Thread t;
        try {
            t = threads.newThread(w);
        } catch (RuntimeException | Error e) {
            workerCount.decrementAndGet();
            throw e;
        }
        w.thread = t;
        workers.add(w);
        t.start();
        return true;
    }

    private void armWatchdog() {
        if (!watchdogArmed.get() && watchdogArmed.compareAndSet(false, true)) {
            try {
                timer.schedule(this::watchdog, stallNanos, TimeUnit.NANOSECONDS);
            } catch (RejectedExecutionException closing) {
                watchdogArmed.set(false);
            }
        }
    }

    /** Adds a worker when tasks wait while fewer than {@code core} workers move; re-arms while busy. */
    private void watchdog() {
        watchdogArmed.set(false);
        if (shutdown) {
            return;
        }
        long now = System.nanoTime();
        int stuck = 0;
        int busy = 0;
        for (Worker w : workers) {
            long started = w.taskStart;
            if (started != 0) {
                busy++;
                if (now - started >= stallNanos) {
                    stuck++;
                }
            }
        }
        // The stuck ones do not count against the limit: each blocked callback gets a replacement.
        while (!queue.isEmpty() && addWorker(core + stuck)) {
            // one more until core workers move again
        }
        if (!queue.isEmpty() || busy > 0) {
            armWatchdog();
        }
    }

    private final class Worker implements Runnable {
        volatile Thread thread;
        /** System.nanoTime() when the running task began, 0 while waiting for one. */
        volatile long taskStart;

        @Override
        public void run() {
            try {
                for (;;) {
                    Runnable task = queue.poll();
                    if (task == null) {
                        if (shutdown) {
                            return;
                        }
                        idle.incrementAndGet();
                        try {
                            task = queue.poll(keepAliveNanos, TimeUnit.NANOSECONDS);
                        } catch (InterruptedException e) {
                            task = null;
                        } finally {
                            idle.decrementAndGet();
                        }
                        if (task == null) {
                            // Timed out or shut down; a task that came in meanwhile still runs.
                            if (queue.isEmpty()) {
                                return;
                            }
                            continue;
                        }
                    }
                    long t = System.nanoTime();
                    taskStart = t == 0 ? 1 : t;
                    if (stopNow) {
                        // After shutdownNow every task, also one still queued then, runs interrupted,
                        // so one that blocks gives up instead of holding termination back.
                        Thread.currentThread().interrupt();
                    }
                    try {
                        task.run();
                    } catch (Throwable e) {
                        Thread th = Thread.currentThread();
                        th.getUncaughtExceptionHandler().uncaughtException(th, e);
                    } finally {
                        taskStart = 0;
                        // A callback may have set the flag; it must not end this shared thread's next poll.
                        Thread.interrupted();
                    }
                }
            } finally {
                workers.remove(this);
                workerCount.decrementAndGet();
                // A task offered just as this worker gave up must still find one; after shutdown
                // only a late one (neverRefusing) can be queued, and it gets one worker.
                if (!queue.isEmpty()) {
                    addWorker(shutdown ? 1 : core, shutdown);
                }
            }
        }
    }

    @Override
    public void shutdown() {
        shutdown = true;
        for (Worker w : workers) {
            Thread t = w.thread;
            if (t != null && w.taskStart == 0) {
                t.interrupt();
            }
        }
    }

    /**
     * Interrupts every worker but still runs what was queued: a cached pool ran every task it
     * accepted, and the client relies on that for the terminal callbacks of closed streams.
     * Returns no tasks.
     */
    @Override
    public List<Runnable> shutdownNow() {
        stopNow = true;
        shutdown = true;
        for (Worker w : workers) {
            Thread t = w.thread;
            if (t != null) {
                t.interrupt();
            }
        }
        return List.of();
    }

    @Override
    public boolean isShutdown() {
        return shutdown;
    }

    @Override
    public boolean isTerminated() {
        return shutdown && workerCount.get() == 0;
    }

    @Override
    public boolean awaitTermination(long timeout, TimeUnit unit) throws InterruptedException {
        long deadline = System.nanoTime() + unit.toNanos(timeout);
        for (Worker w : workers) {
            Thread t = w.thread;
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                break;
            }
            if (t != null && t != Thread.currentThread()) {
                TimeUnit.NANOSECONDS.timedJoin(t, left);
            }
        }
        return isTerminated();
    }
}
