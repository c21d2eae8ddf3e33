package dev.etcdj.client.internal;

import io.grpc.netty.shaded.io.netty.channel.EventLoopGroup;
import io.grpc.netty.shaded.io.netty.channel.MultiThreadIoEventLoopGroup;
import io.grpc.netty.shaded.io.netty.channel.nio.NioIoHandler;
import io.grpc.netty.shaded.io.netty.util.concurrent.DefaultThreadFactory;
import java.nio.channels.spi.SelectorProvider;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The client's own threads, all daemon: the network event loop, one timer, and the callback pool
 * where user code runs. In one place because their shutdown order matters and because
 * {@link #shutdown} must be able to promise that no thread of the client runs once it returns.
 */
final class ClientThreads {

    private final Set<Thread> threads = ConcurrentHashMap.newKeySet();
    private final EventLoopGroup eventLoop;
    private final ScheduledThreadPoolExecutor scheduler;
    private final CallbackExecutor callExecutor;
    private final Executor grpcExecutor;
    /** Unary calls on the wire now; the event loops poll before sleeping only while these are few. */
    private final AtomicInteger unaryInFlight = new AtomicInteger();

    /** @param networkSpinNanos how long a loop that has just worked polls before it sleeps ({@link BriefSpinSelect}) */
    ClientThreads(long networkSpinNanos) {
        int cpus = Runtime.getRuntime().availableProcessors();
        // At most one call in flight per two cores (and at least one): cores are idle and the
        // answer is what the application waits for. More: answers keep the loops awake, and the
        // cores have work (polling then cost 100-client serializable gets ~10% on two cores).
        int few = Math.max(1, cpus / 2);
        this.eventLoop = new MultiThreadIoEventLoopGroup(Math.max(1, Math.min(4, cpus)),
                owned(NetworkThreads.marking(new DefaultThreadFactory("etcdj-netty", true))),
                NioIoHandler.newFactory(SelectorProvider.provider(),
                        BriefSpinSelect.factory(networkSpinNanos, () -> unaryInFlight.get() <= few)));
        this.scheduler = new ScheduledThreadPoolExecutor(1, owned(daemonThreads("etcdj-scheduler")));
        scheduler.setRemoveOnCancelPolicy(true);
        this.callExecutor = new CallbackExecutor(Math.max(2, Math.min(8, cpus)), TimeUnit.SECONDS.toNanos(60),
                TimeUnit.MILLISECONDS.toNanos(20), owned(daemonThreads("etcdj-callback")), scheduler);
        this.grpcExecutor = callExecutor.neverRefusing();
    }

    /** A unary call went on the wire; {@link #unaryEnded} follows once for each. */
    void unaryStarted() {
        unaryInFlight.incrementAndGet();
    }

    void unaryEnded() {
        unaryInFlight.decrementAndGet();
    }

    int unaryInFlight() {
        return unaryInFlight.get();
    }

    EventLoopGroup eventLoop() {
        return eventLoop;
    }

    /**
     * The one event loop a new channel should run on, taken in turn. gRPC schedules each call's
     * deadline timer on its channel's group: on a group of several loops that is the next loop in
     * turn, which a 1-client loop then woke (to add the timer and again to cancel it) for about
     * 0.7 context switches and 10-15 µs of CPU per call. On the loop that also writes the call,
     * the timer is added in the same wake-up as the write and cancelled there without a hand-off.
     */
    EventLoopGroup loopForChannel() {
        return eventLoop.next();
    }

    ScheduledExecutorService scheduler() {
        return scheduler;
    }

    ExecutorService callExecutor() {
        return callExecutor;
    }

    /**
     * The same pool for gRPC's channels, which must never see a refusal: a channel can still hand
     * over a task after close (see {@link CallbackExecutor#neverRefusing}).
     */
    Executor grpcExecutor() {
        return grpcExecutor;
    }

    /**
     * Runs {@code task} on the callback pool after the delay: the timer thread only hands it over,
     * since the task may start network work. Throws RejectedExecutionException when closing.
     */
    ScheduledFuture<?> schedule(Runnable task, long delayNanos) {
        return scheduler.schedule(() -> {
            try {
                callExecutor.execute(task);
            } catch (RejectedExecutionException closing) {
                // The client is closing: close() fails whatever the task would have continued.
            }
        }, delayNanos, TimeUnit.NANOSECONDS);
    }

    /**
     * Stops every thread and waits, until {@code deadlineNanos}, for them to have exited (not at all
     * once {@code interrupted}). Returns whether a wait was interrupted (the caller restores the flag).
     */
    boolean shutdown(long deadlineNanos, boolean interrupted) {
        scheduler.shutdownNow();
        callExecutor.shutdownNow();
        eventLoop.shutdownGracefully(0, 0, TimeUnit.SECONDS);
        try {
            scheduler.awaitTermination(Math.max(0, deadlineNanos - System.nanoTime()), TimeUnit.NANOSECONDS);
            callExecutor.awaitTermination(Math.max(0, deadlineNanos - System.nanoTime()), TimeUnit.NANOSECONDS);
            eventLoop.terminationFuture().await(Math.max(0, deadlineNanos - System.nanoTime()), TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
            interrupted = true;
        }
        // The executors report termination just before their threads exit: wait for the exits, so
        // that close() returning means no thread of this client runs any more.
        for (Thread t : threads) {
            long left = deadlineNanos - System.nanoTime();
            if (interrupted || left <= 0) {
                break;
            }
            if (t == Thread.currentThread()) {
                continue; // close() called from a callback: that thread ends once it returns
            }
            try {
                t.join(Math.max(1, TimeUnit.NANOSECONDS.toMillis(left)));
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        return interrupted;
    }

    /** Threads of {@code factory}, remembered so that {@link #shutdown} can wait for them to end. */
    private ThreadFactory owned(ThreadFactory factory) {
        return r -> {
            Thread t = factory.newThread(r);
            threads.removeIf(old -> !old.isAlive());
            threads.add(t);
            return t;
        };
    }

    static ThreadFactory daemonThreads(String prefix) {
        AtomicInteger n = new AtomicInteger();
        return r -> {
            Thread t = new Thread(r, prefix + "-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
    }
}
