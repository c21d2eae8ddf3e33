package dev.etcdj.server.internal.rpc;

import io.grpc.MethodDescriptor;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerMethodDefinition;
import io.grpc.ServerServiceDefinition;
import io.grpc.Status;
import java.io.InputStream;

/**
 * Answers a request that is not valid protobuf the way etcd's grpc-go server does: INTERNAL
 * "grpc: error unmarshalling request: …". Left to grpc-java, a parse failure escapes into its
 * executor: the caller gets UNKNOWN "Application error processing RPC" and the server logs a
 * SEVERE stack trace per message, so any client could flood the log. Here the request marshaller
 * hands a failed parse on as null with its reason, and the outermost listener closes the call.
 */
public final class MalformedRequests {
    /** The reason of the last failed parse on this thread; grpc-java parses and delivers on one thread. */
    private static final ThreadLocal<String> FAILURE = new ThreadLocal<>();

    private MalformedRequests() {
    }

    public static ServerServiceDefinition guard(ServerServiceDefinition def) {
        ServerServiceDefinition.Builder b = ServerServiceDefinition.builder(def.getServiceDescriptor().getName());
        for (ServerMethodDefinition<?, ?> m : def.getMethods()) {
            b.addMethod(guard(m));
        }
        return b.build();
    }

    private static <Q, R> ServerMethodDefinition<Q, R> guard(ServerMethodDefinition<Q, R> m) {
        MethodDescriptor<Q, R> md = m.getMethodDescriptor();
        MethodDescriptor<Q, R> lenient = md.toBuilder().setRequestMarshaller(lenient(md.getRequestMarshaller())).build();
        ServerCallHandler<Q, R> next = m.getServerCallHandler();
        return ServerMethodDefinition.create(lenient, (call, headers) ->
                new CheckedListener<>(next.startCall(call, headers), call, MalformedRequests::refusal));
    }

    /** A message the lenient marshaller could not parse arrives as null; the reason waits on this thread. */
    private static <Q> Status refusal(Q message) {
        if (message != null) {
            return null;
        }
        String why = FAILURE.get();
        FAILURE.remove();
        return Status.INTERNAL.withDescription("grpc: error unmarshalling request: " + why);
    }

    private static <Q> MethodDescriptor.Marshaller<Q> lenient(MethodDescriptor.Marshaller<Q> strict) {
        return new Lenient<>(strict, strict instanceof MethodDescriptor.PrototypeMarshaller<Q> p ? p : null);
    }

    /** The strict marshaller's parse, a failure remembered instead of thrown; its prototype, if it has one. */
    private static final class Lenient<Q> implements MethodDescriptor.PrototypeMarshaller<Q> {
        private final MethodDescriptor.Marshaller<Q> strict;
        private final MethodDescriptor.PrototypeMarshaller<Q> prototypes; // null: strict has none

        Lenient(MethodDescriptor.Marshaller<Q> strict, MethodDescriptor.PrototypeMarshaller<Q> prototypes) {
            this.strict = strict;
            this.prototypes = prototypes;
        }

        @Override
        public Q getMessagePrototype() {
            return prototypes == null ? null : prototypes.getMessagePrototype();
        }

        @Override
        public Class<Q> getMessageClass() {
            return prototypes == null ? null : prototypes.getMessageClass();
        }

        @Override
        public InputStream stream(Q value) {
            return strict.stream(value);
        }

        @Override
        public Q parse(InputStream stream) {
            try {
                return strict.parse(stream);
            } catch (RuntimeException e) {
                Throwable why = e.getCause() != null ? e.getCause() : e;
                FAILURE.set(String.valueOf(why.getMessage()));
                return null;
            }
        }
    }
}
