package dev.etcdj.client.internal.watch;

/**
 * How far one {@link WatchStream} reads ahead. It reads with gRPC's manual flow control, a number
 * of messages ahead (one per cent of the client's event limit: 100 by default), and gives the
 * credits for the messages it has read back in batches, only while the client's backlog (see
 * {@link WatchClientImpl}) stays under its limits; past them none go back, so the stream stops
 * reading until the backlog has fallen to half. Asking for one message at a time instead would
 * cost a round trip between the callback and the network threads per message. (The read-ahead is
 * not what delays events under heavy fan-out: 100 or 2,000 messages ahead measured the same.)
 * Guarded by the stream's lock; {@link #paused()} may be read without it.
 */
final class ReadCredits {

    private final WatchClientImpl client;
    /** Credits go back in batches: each request wakes the network thread. */
    private final int batch;
    private int unrequested;            // messages read whose credit was not given back yet
    private volatile boolean paused;

    ReadCredits(WatchClientImpl client, int batch) {
        this.client = client;
        this.batch = batch;
    }

    /** A new stream: nothing owed, reading. */
    void reset() {
        paused = false;
        unrequested = 0;
    }

    /** A message was read; returns the credits to give back now, 0 for none. */
    int read() {
        unrequested++;
        if (!paused && client.overLimit()) {
            paused = true;
        }
        if (paused) {
            // The client's release checks `paused` without the lock: one that ran just before it was
            // set saw paused=false and will not resume us. Its release is visible now (both sides are
            // volatile), so look again.
            return client.belowResumeLevel() ? resume() : 0;
        }
        if (unrequested >= batch) {
            int n = unrequested;
            unrequested = 0;
            return n;
        }
        return 0;
    }

    /** Reads again: returns the credits backpressure held back. */
    int resume() {
        paused = false;
        int n = unrequested;
        unrequested = 0;
        return n;
    }

    /** Whether the stream has stopped reading because listeners are behind. */
    boolean paused() {
        return paused;
    }
}
