package dev.etcdj.client.internal.watch;

import dev.etcdj.proto.etcdserverpb.ResponseHeader;
import dev.etcdj.proto.etcdserverpb.WatchGrpc;
import dev.etcdj.proto.etcdserverpb.WatchRequest;
import dev.etcdj.proto.etcdserverpb.WatchResponse;
import io.grpc.Server;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.function.IntConsumer;

/**
 * A Watch service on a free loopback port for the watch tests: it answers each create request with
 * {@code created} (watch IDs 0, 1, ... on each stream, at revision 0) and then tells the stream's
 * script, which sends whatever events the test wants.
 */
final class ScriptedWatchServer {

    private ScriptedWatchServer() {}

    /** @param streams for each new stream, the script told each watch ID it created */
    static Server start(Function<ServerCallStreamObserver<WatchResponse>, IntConsumer> streams) throws IOException {
        WatchGrpc.WatchImplBase service = new WatchGrpc.WatchImplBase() {
            @Override
            public StreamObserver<WatchRequest> watch(StreamObserver<WatchResponse> out) {
                ServerCallStreamObserver<WatchResponse> call = (ServerCallStreamObserver<WatchResponse>) out;
                IntConsumer script = streams.apply(call);
                AtomicInteger ids = new AtomicInteger();
                return new StreamObserver<>() {
                    @Override
                    public void onNext(WatchRequest request) {
                        if (request.hasCreateRequest()) {
                            int id = ids.getAndIncrement();
                            call.onNext(WatchResponse.newBuilder().setHeader(ResponseHeader.newBuilder().setRevision(0))
                                    .setWatchId(id).setCreated(true).build());
                            script.accept(id);
                        }
                    }

                    @Override
                    public void onError(Throwable t) {
                        // The client went away: nothing more to send.
                    }

                    @Override
                    public void onCompleted() {
                        call.onCompleted();
                    }
                };
            }
        };
        return NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", 0)).addService(service).build().start();
    }
}
