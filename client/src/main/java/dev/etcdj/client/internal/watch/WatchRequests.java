package dev.etcdj.client.internal.watch;

import dev.etcdj.client.WatchSpec;
import dev.etcdj.client.internal.ProtoConvert;
import dev.etcdj.proto.etcdserverpb.WatchCancelRequest;
import dev.etcdj.proto.etcdserverpb.WatchCreateRequest;
import dev.etcdj.proto.etcdserverpb.WatchProgressRequest;
import dev.etcdj.proto.etcdserverpb.WatchRequest;

/** The three requests a Watch stream sends, built from the public spec. */
final class WatchRequests {

    private static final WatchRequest PROGRESS =
            WatchRequest.newBuilder().setProgressRequest(WatchProgressRequest.getDefaultInstance()).build();

    private WatchRequests() {}

    /** Creates {@code spec}'s watch from {@code startRevision} (0: from the next write), numbered by the server. */
    static WatchRequest create(WatchSpec spec, long startRevision) {
        WatchCreateRequest.Builder create = WatchCreateRequest.newBuilder()
                .setKey(ProtoConvert.toByteString(spec.key()))
                .setRangeEnd(ProtoConvert.toByteString(spec.rangeEnd()))
                .setStartRevision(startRevision)
                .setProgressNotify(spec.progressNotify())
                .setPrevKv(spec.prevKv())
                .setFragment(spec.fragment());
        if (spec.noPut()) {
            create.addFilters(WatchCreateRequest.FilterType.NOPUT);
        }
        if (spec.noDelete()) {
            create.addFilters(WatchCreateRequest.FilterType.NODELETE);
        }
        return WatchRequest.newBuilder().setCreateRequest(create).build();
    }

    static WatchRequest cancel(long watchId) {
        return WatchRequest.newBuilder().setCancelRequest(WatchCancelRequest.newBuilder().setWatchId(watchId)).build();
    }

    static WatchRequest progress() {
        return PROGRESS;
    }
}
