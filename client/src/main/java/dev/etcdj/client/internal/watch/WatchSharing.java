package dev.etcdj.client.internal.watch;

import dev.etcdj.client.WatchSpec;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Which watches of one {@link WatchStream} share a server watch. Guarded by the stream's lock.
 *
 * <p>Watches of the same shape (range and flags; the start revision aside) see the same events, so
 * the server need send them only once: after the first, a watch of that shape rides on the first
 * one's server watch (its head) and gets the head's responses, each filtered by its own
 * {@link RevisionTracker}. Every watch is still created on the server as a watch of its own, so it
 * starts where a watch of its own would and its creation is confirmed or refused the same way. It
 * joins the head only once the head has delivered no further than it has (the head's server watch
 * then sends every event it still needs; the ones it already had are dropped by its tracker), and
 * then its own server watch is cancelled. A watch that found the head ahead stays on its own and
 * tries again on its next response.
 *
 * <p>A rider never shares a fate it would not have had on its own: when the server cancels a head
 * (a compacted revision, a revoked permission), its riders are created again as watches of their
 * own, each from its own revision, and end only if their own watch is refused. When a stream is
 * interrupted every watch is created again on its own and the sharing starts over. When the user
 * closes a head, its first rider takes over the head's server watch, with nothing sent to the
 * server.
 */
final class WatchSharing {

    /** Per shape, the watch that new watches of that shape join. */
    private final Map<WatchSpec, WatcherImpl> heads = new HashMap<>();
    private int riding;

    /** Watches riding on another's server watch. */
    int riding() {
        return riding;
    }

    /**
     * {@code w}, on a server watch of its own, was created or got a response. Returns true when it
     * now rides on the head of its shape: the caller then cancels its server watch. Otherwise it may
     * have become that head.
     */
    boolean tryJoin(WatcherImpl w) {
        if (w.isHead || w.head != null) {
            return false;
        }
        WatcherImpl h = heads.get(w.shape);
        if (h == null) {
            heads.put(w.shape, w);
            w.isHead = true;
            return false;
        }
        if (h.tracker.watermark() > w.tracker.watermark()) {
            return false;       // the head is ahead: w would miss the events in between
        }
        w.head = h;
        if (h.riders == null) {
            h.riders = new ArrayList<>();
        }
        h.riders.add(w);
        riding++;
        return true;
    }

    /** A rider leaves (its user closed it). */
    void leave(WatcherImpl rider) {
        rider.head.riders.remove(rider);
        rider.head = null;
        riding--;
    }

    /**
     * A watch on its own server watch is closed by its user. Returns the rider that takes over that
     * server watch (now the head of the others), or null when none: the caller then cancels it.
     */
    WatcherImpl handOff(WatcherImpl h) {
        List<WatcherImpl> rs = unhead(h);
        if (rs == null || rs.isEmpty()) {
            return null;
        }
        WatcherImpl heir = rs.remove(0);
        heir.head = null;
        riding--;
        for (WatcherImpl r : rs) {
            r.head = heir;
        }
        heir.riders = rs;
        heir.isHead = true;
        heads.put(heir.shape, heir);
        return heir;
    }

    /** The server cancelled {@code h}: its riders are on their own again; returns them. */
    List<WatcherImpl> detach(WatcherImpl h) {
        List<WatcherImpl> rs = unhead(h);
        if (rs == null) {
            return List.of();
        }
        for (WatcherImpl r : rs) {
            r.head = null;
        }
        riding -= rs.size();
        return rs;
    }

    private List<WatcherImpl> unhead(WatcherImpl h) {
        if (h.isHead) {
            heads.remove(h.shape, h);
            h.isHead = false;
        }
        List<WatcherImpl> rs = h.riders;
        h.riders = null;
        return rs;
    }

    /** The stream was interrupted or ended: every watch is on its own again. */
    void clear(Collection<WatcherImpl> watches) {
        for (WatcherImpl w : watches) {
            w.head = null;
            w.riders = null;
            w.isHead = false;
        }
        heads.clear();
        riding = 0;
    }
}
