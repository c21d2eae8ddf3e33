package dev.etcdj.client.internal;

import io.grpc.netty.shaded.io.netty.channel.SelectStrategy;
import io.grpc.netty.shaded.io.netty.channel.SelectStrategyFactory;
import io.grpc.netty.shaded.io.netty.util.IntSupplier;
import java.util.function.BooleanSupplier;
import java.util.function.LongSupplier;

/**
 * An event loop that has just worked keeps polling for a short while before it sleeps, as long as
 * the client has only a few calls in flight. A sequential caller's next request, or the answer to
 * the request just written, usually comes within a hundred microseconds; a sleeping loop must be
 * woken for it, which on a virtual machine costs more than the wait (an idle vCPU takes 13-62 µs
 * to run a thread it is asked to wake). With many calls in flight the loop is woken by answers
 * anyway and the cores are wanted for work, so it sleeps at once, as Netty's loop does by default;
 * an idle client polls once for {@code spinNanos} after its last work and then sleeps.
 *
 * <p>Called only on its loop's thread, so its fields need no synchronisation.
 */
final class BriefSpinSelect implements SelectStrategy {

    private final long spinNanos;
    private final BooleanSupplier fewCallsInFlight;
    private final LongSupplier clock;
    private boolean worked = true;
    private long idleSince;

    BriefSpinSelect(long spinNanos, BooleanSupplier fewCallsInFlight, LongSupplier clock) {
        this.spinNanos = spinNanos;
        this.fewCallsInFlight = fewCallsInFlight;
        this.clock = clock;
    }

    /** With {@code spinNanos} 0, the strategies it makes behave as Netty's default one. */
    static SelectStrategyFactory factory(long spinNanos, BooleanSupplier fewCallsInFlight) {
        return () -> new BriefSpinSelect(spinNanos, fewCallsInFlight, System::nanoTime);
    }

    @Override
    public int calculateStrategy(IntSupplier selectNow, boolean hasTasks) throws Exception {
        if (hasTasks) {
            worked = true;
            return selectNow.get();
        }
        if (spinNanos <= 0) {
            return SelectStrategy.SELECT;
        }
        long now = clock.getAsLong();
        if (worked) {
            worked = false;
            idleSince = now;
        }
        if (now - idleSince < spinNanos && fewCallsInFlight.getAsBoolean()) {
            int ready = selectNow.get();
            if (ready > 0) {
                worked = true;
            } else {
                Thread.onSpinWait();
            }
            return ready;
        }
        // The blocking select that follows ends because something happened: poll after it too.
        worked = true;
        return SelectStrategy.SELECT;
    }
}
