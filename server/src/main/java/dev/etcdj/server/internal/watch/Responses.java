package dev.etcdj.server.internal.watch;

import dev.etcdj.proto.etcdserverpb.ResponseHeader;
import dev.etcdj.proto.etcdserverpb.WatchResponse;
import dev.etcdj.proto.mvccpb.Event;
import dev.etcdj.proto.mvccpb.KeyValue;
import dev.etcdj.server.internal.EtcdException;
import dev.etcdj.server.internal.mvcc.MvccStore;
import java.util.ArrayList;
import java.util.List;

/** How watch responses are shaped: prev_kv filling, fragments, create errors, sizes. */
final class Responses {
    private final MvccStore store;
    private final int fragmentBytes;

    Responses(MvccStore store, int fragmentBytes) {
        this.store = store;
        this.fragmentBytes = fragmentBytes;
    }

    static WatchResponse createError(ResponseHeader h, String reason) {
        return WatchResponse.newBuilder().setHeader(h).setWatchId(-1).setCreated(true).setCanceled(true)
                .setCancelReason(reason).build();
    }

    static long bytes(List<Event> events) {
        long n = 0;
        for (Event e : events) {
            n += e.getSerializedSize();
        }
        return n;
    }

    /** The event with prev_kv set when the key had a previous version (every watcher gets the same). */
    Event withPrevKv(Event e) {
        if (e.getKv().getVersion() == 1) {
            return e;
        }
        KeyValue prev = prevKv(e);
        return prev == null ? e : e.toBuilder().setPrevKv(prev).build();
    }

    private KeyValue prevKv(Event e) {
        try {
            return store.get(e.getKv().getKey().toByteArray(), e.getKv().getModRevision() - 1);
        } catch (EtcdException compacted) {
            return null;
        }
    }

    List<WatchResponse> fragments(Watcher w, WatchResponse r) {
        if (!w.fragment || r.getEventsCount() < 2 || r.getSerializedSize() < fragmentBytes) {
            return List.of(r);
        }
        List<WatchResponse> out = new ArrayList<>();
        List<Event> all = r.getEventsList();
        int idx = 0;
        while (idx < all.size()) {
            WatchResponse.Builder cur = r.toBuilder().clearEvents().setFragment(true);
            int size = cur.build().getSerializedSize();
            while (idx < all.size()) {
                int es = all.get(idx).getSerializedSize() + 5;
                if (cur.getEventsCount() > 0 && size + es >= fragmentBytes) {
                    break;
                }
                cur.addEvents(all.get(idx++));
                size += es;
            }
            if (idx == all.size()) {
                cur.setFragment(false);
            }
            out.add(cur.build());
        }
        return out;
    }
}
