package dev.etcdj.server.hostile;

import com.google.protobuf.ByteString;
import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.Message;
import dev.etcdj.proto.etcdserverpb.AuthGrpc;
import dev.etcdj.proto.etcdserverpb.ClusterGrpc;
import dev.etcdj.proto.etcdserverpb.KVGrpc;
import dev.etcdj.proto.etcdserverpb.LeaseGrpc;
import dev.etcdj.proto.etcdserverpb.MaintenanceGrpc;
import dev.etcdj.proto.etcdserverpb.WatchGrpc;
import dev.etcdj.proto.v3electionpb.ElectionGrpc;
import dev.etcdj.proto.v3lockpb.LockGrpc;
import io.grpc.CallOptions;
import io.grpc.Channel;
import io.grpc.ClientCall;
import io.grpc.Metadata;
import io.grpc.MethodDescriptor;
import io.grpc.ServiceDescriptor;
import io.grpc.Status;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Sends {@link WireMutator} inputs raw (a byte-array marshaller, so nothing checks them on the
 * way) to every method of etcd's 8 gRPC services and tallies the answers by method and status.
 */
final class WireFuzz {
    static final List<ServiceDescriptor> SERVICES = List.of(KVGrpc.getServiceDescriptor(),
            WatchGrpc.getServiceDescriptor(), LeaseGrpc.getServiceDescriptor(), ClusterGrpc.getServiceDescriptor(),
            MaintenanceGrpc.getServiceDescriptor(), AuthGrpc.getServiceDescriptor(),
            LockGrpc.getServiceDescriptor(), ElectionGrpc.getServiceDescriptor());

    /** A call's outcome: the status, and whether it was one the server should never give. */
    record Outcome(String method, Status.Code code, String description) {
    }

    final Map<String, AtomicInteger> tally = new ConcurrentHashMap<>();
    final List<Outcome> anomalies = java.util.Collections.synchronizedList(new ArrayList<>());
    final AtomicInteger sent = new AtomicInteger();

    private static final MethodDescriptor.Marshaller<byte[]> RAW = new MethodDescriptor.Marshaller<>() {
        @Override
        public InputStream stream(byte[] value) {
            return new ByteArrayInputStream(value);
        }

        @Override
        public byte[] parse(InputStream stream) {
            try {
                return stream.readAllBytes();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    };

    /** {@code perMethod} hostile inputs to each method, at most 32 calls in flight, each with a 3 s deadline. */
    void run(Channel channel, long seed, int perMethod) throws InterruptedException {
        WireMutator mutator = new WireMutator(seed);
        Semaphore inFlight = new Semaphore(32);
        for (ServiceDescriptor service : SERVICES) {
            for (MethodDescriptor<?, ?> m : service.getMethods()) {
                MethodDescriptor<byte[], byte[]> raw = m.toBuilder(RAW, RAW).build();
                byte[] valid = validRequest(m).toByteArray();
                for (int i = 0; i < perMethod; i++) {
                    byte[] input = mutator.next(valid);
                    inFlight.acquire();
                    sent.incrementAndGet();
                    call(channel, raw, input, inFlight::release);
                }
            }
        }
        if (!inFlight.tryAcquire(32, 60, TimeUnit.SECONDS)) {
            throw new AssertionError("calls still open after their deadlines: the server stopped answering");
        }
    }

    private void call(Channel channel, MethodDescriptor<byte[], byte[]> m, byte[] input, Runnable done) {
        ClientCall<byte[], byte[]> call = channel.newCall(m, CallOptions.DEFAULT.withDeadlineAfter(3, TimeUnit.SECONDS));
        call.start(new ClientCall.Listener<>() {
            @Override
            public void onClose(Status status, Metadata trailers) {
                String name = m.getFullMethodName();
                tally.computeIfAbsent(name + " " + status.getCode(), k -> new AtomicInteger()).incrementAndGet();
                boolean ours = status.getCode() != Status.Code.DEADLINE_EXCEEDED && status.getCode() != Status.Code.CANCELLED;
                String d = status.getDescription();
                // UNKNOWN with an etcd text is etcd's own answer (Lock/Election pass errors through
                // unconverted); UNKNOWN from grpc-java or with a Java exception means an escaped bug
                boolean escaped = status.getCode() == Status.Code.UNKNOWN && (d == null
                        || d.startsWith("Application error") || d.contains("Exception") || d.contains("java."));
                if (escaped || (ours && !status.isOk() && (d == null || d.isBlank()))) {
                    anomalies.add(new Outcome(name, status.getCode(), d));
                }
                done.run();
            }
        }, new Metadata());
        call.request(Integer.MAX_VALUE);
        call.sendMessage(input);
        call.halfClose();
    }

    /** Counts per status code over all methods, for the record. */
    Map<String, Integer> byCode() {
        Map<String, Integer> r = new TreeMap<>();
        tally.forEach((k, v) -> r.merge(k.substring(k.indexOf(' ') + 1), v.get(), Integer::sum));
        return r;
    }

    /** A plausible request: every singular scalar field set (keys under "fuzz/", enums left at 0). */
    static Message validRequest(MethodDescriptor<?, ?> m) {
        Message proto = (Message) ((MethodDescriptor.PrototypeMarshaller<?>) m.getRequestMarshaller()).getMessagePrototype();
        Message.Builder b = proto.toBuilder();
        for (FieldDescriptor f : proto.getDescriptorForType().getFields()) {
            if (f.isRepeated() || f.getRealContainingOneof() != null) {
                continue;
            }
            switch (f.getJavaType()) {
                case BYTE_STRING -> b.setField(f, ByteString.copyFromUtf8("fuzz/" + f.getName()));
                case STRING -> b.setField(f, "fuzz-" + f.getName());
                case LONG -> b.setField(f, 1L);
                case INT -> b.setField(f, 1);
                case BOOLEAN -> b.setField(f, true);
                default -> { } // enums stay 0 (no alarm gets activated by the valid seed), messages empty
            }
        }
        return b.build();
    }
}
