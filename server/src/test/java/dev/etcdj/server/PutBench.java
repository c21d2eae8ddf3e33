package dev.etcdj.server;

import dev.etcdj.proto.etcdserverpb.KVGrpc;
import dev.etcdj.proto.etcdserverpb.PutRequest;
import dev.etcdj.proto.etcdserverpb.PutResponse;
import io.grpc.ManagedChannel;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.stub.StreamObserver;
import java.net.URI;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/** Tiny load generator: args = endpoint seconds inflight. Prints puts/s. Not a test. */
public final class PutBench {
    private PutBench() {
    }

    public static void main(String[] args) throws Exception {
        URI u = URI.create(args[0]);
        int seconds = Integer.parseInt(args[1]);
        int inflight = Integer.parseInt(args[2]);
        ManagedChannel ch = NettyChannelBuilder.forAddress(u.getHost(), u.getPort()).usePlaintext().build();
        KVGrpc.KVStub kv = KVGrpc.newStub(ch);
        Semaphore sem = new Semaphore(inflight);
        AtomicLong done = new AtomicLong();
        AtomicLong errors = new AtomicLong();
        com.google.protobuf.ByteString value = com.google.protobuf.ByteString.copyFrom(new byte[256]);
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        long start = System.nanoTime();
        long i = 0;
        while (System.nanoTime() < end) {
            sem.acquire();
            kv.put(PutRequest.newBuilder().setKey(com.google.protobuf.ByteString.copyFromUtf8("bench/" + (i++ % 10000)))
                    .setValue(value).build(), new StreamObserver<PutResponse>() {
                        @Override
                        public void onNext(PutResponse v) {
                            done.incrementAndGet();
                        }

                        @Override
                        public void onError(Throwable t) {
                            errors.incrementAndGet();
                            sem.release();
                        }

                        @Override
                        public void onCompleted() {
                            sem.release();
                        }
                    });
        }
        sem.acquire(inflight);
        double secs = (System.nanoTime() - start) / 1e9;
        System.out.printf("%d puts in %.1fs = %.0f puts/s (inflight %d, errors %d)%n", done.get(), secs,
                done.get() / secs, inflight, errors.get());
        ch.shutdownNow();
    }
}
