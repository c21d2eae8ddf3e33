package dev.etcdj.server.internal.rpc;

import dev.etcdj.proto.etcdserverpb.WatchGrpc;
import dev.etcdj.proto.etcdserverpb.WatchRequest;
import dev.etcdj.proto.etcdserverpb.WatchResponse;
import dev.etcdj.server.internal.auth.Authorizer;
import dev.etcdj.server.internal.auth.Caller;
import dev.etcdj.server.internal.watch.WatchHub;
import io.grpc.Status;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;

/** etcdserverpb.Watch: one bidi stream carrying many watchers. */
public final class WatchService extends WatchGrpc.WatchImplBase {
    private final WatchHub hub;
    private final Authorizer authorizer;

    public WatchService(WatchHub hub, Authorizer authorizer) {
        this.hub = hub;
        this.authorizer = authorizer;
    }

    @Override
    public StreamObserver<WatchRequest> watch(StreamObserver<WatchResponse> responseObserver) {
        ServerCallStreamObserver<WatchResponse> out = (ServerCallStreamObserver<WatchResponse>) responseObserver;
        Caller caller = Caller.current();
        WatchHub.StreamHandle h = hub.open(out);
        out.setOnCancelHandler(h::close);
        return new StreamObserver<>() {
            @Override
            public void onNext(WatchRequest r) {
                switch (r.getRequestUnionCase()) {
                    case CREATE_REQUEST -> {
                        try {
                            authorizer.check(caller, WatchGrpc.getWatchMethod(), r.getCreateRequest());
                        } catch (RuntimeException e) {
                            Status st = Rpc.toStatus(e).getStatus();
                            h.reject("rpc error: code = " + codeName(st.getCode()) + " desc = " + st.getDescription());
                            return;
                        }
                        h.create(r.getCreateRequest());
                    }
                    case CANCEL_REQUEST -> h.cancel(r.getCancelRequest().getWatchId());
                    case PROGRESS_REQUEST -> h.progress();
                    default -> {
                    }
                }
            }

            @Override
            public void onError(Throwable t) {
                h.close();
            }

            @Override
            public void onCompleted() {
                // like etcd: a half-closed stream keeps its watchers until the call is cancelled
            }
        };
    }

    /** grpc-go's name of a status code ("PermissionDenied"), as etcd prints it in a cancel reason. */
    private static String codeName(Status.Code code) {
        String n = code.name();
        StringBuilder b = new StringBuilder();
        boolean up = true;
        for (char c : n.toCharArray()) {
            if (c == '_') {
                up = true;
            } else {
                b.append(up ? c : Character.toLowerCase(c));
                up = false;
            }
        }
        return b.toString();
    }
}
