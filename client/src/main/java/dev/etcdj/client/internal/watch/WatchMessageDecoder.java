package dev.etcdj.client.internal.watch;

import com.google.protobuf.CodedInputStream;
import dev.etcdj.client.Bytes;
import dev.etcdj.client.KeyValue;
import dev.etcdj.client.ResponseHeader;
import dev.etcdj.client.WatchEvent;
import dev.etcdj.client.internal.WireMessages;
import dev.etcdj.proto.etcdserverpb.WatchGrpc;
import dev.etcdj.proto.etcdserverpb.WatchRequest;
import dev.etcdj.proto.etcdserverpb.WatchResponse;
import dev.etcdj.proto.mvccpb.Event;
import io.grpc.KnownLength;
import io.grpc.MethodDescriptor;
import io.grpc.Status;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Reads etcd's {@code WatchResponse} (rpc.proto, mvccpb/kv.proto) from the wire straight into
 * {@link WatchMessage} and the public {@link WatchEvent}s. The watch stream's hot path: with the
 * generated parser each event was built three times (protobuf builder, message, public record)
 * and each key and value copied twice more after leaving the network buffer; here the message is
 * read once into an array and each key and value is copied out of it once. Fields this client
 * does not know are skipped, as protobuf does.
 */
final class WatchMessageDecoder implements MethodDescriptor.Marshaller<WatchMessage> {

    /** The Watch method with responses decoded by this class; requests stay generated messages. */
    static final MethodDescriptor<WatchRequest, WatchMessage> METHOD = WatchGrpc.getWatchMethod().toBuilder(
            WatchGrpc.getWatchMethod().getRequestMarshaller(), new WatchMessageDecoder()).build();

    // Tags: field number << 3 | wire type (0 varint, 2 length-delimited).
    private static final int HEADER = 1 << 3 | 2;
    private static final int WATCH_ID = 2 << 3;
    private static final int CREATED = 3 << 3;
    private static final int CANCELED = 4 << 3;
    private static final int COMPACT_REVISION = 5 << 3;
    private static final int CANCEL_REASON = 6 << 3 | 2;
    private static final int FRAGMENT = 7 << 3;
    private static final int EVENTS = 11 << 3 | 2;

    private WatchMessageDecoder() {}

    @Override
    public WatchMessage parse(InputStream stream) {
        try {
            byte[] message;
            if (stream instanceof KnownLength) {
                // gRPC's message streams know their size: one array of exactly that size.
                message = new byte[stream.available()];
                if (stream.readNBytes(message, 0, message.length) != message.length) {
                    throw new IOException("the message ended early");
                }
            } else {
                message = stream.readAllBytes();
            }
            return decode(message);
        } catch (IOException | RuntimeException e) {
            throw Status.INTERNAL.withDescription("etcdj: cannot decode a watch response: " + e.getMessage())
                    .withCause(e).asRuntimeException();
        }
    }

    /** Encodes as etcd does; the client only reads these, so this serves tests and completeness. */
    @Override
    public InputStream stream(WatchMessage m) {
        ResponseHeader h = m.header();
        WatchResponse.Builder b = WatchResponse.newBuilder()
                .setHeader(dev.etcdj.proto.etcdserverpb.ResponseHeader.newBuilder().setClusterId(h.clusterId())
                        .setMemberId(h.memberId()).setRevision(h.revision()).setRaftTerm(h.raftTerm()))
                .setWatchId(m.watchId()).setCreated(m.created()).setCanceled(m.canceled())
                .setCompactRevision(m.compactRevision()).setCancelReason(m.cancelReason()).setFragment(m.fragment());
        for (WatchEvent e : m.events()) {
            Event.Builder eb = Event.newBuilder()
                    .setType(e.type() == WatchEvent.Type.DELETE ? Event.EventType.DELETE : Event.EventType.PUT)
                    .setKv(proto(e.kv()));
            e.prevKv().ifPresent(p -> eb.setPrevKv(proto(p)));
            b.addEvents(eb);
        }
        return new ByteArrayInputStream(b.build().toByteArray());
    }

    private static dev.etcdj.proto.mvccpb.KeyValue proto(KeyValue kv) {
        return dev.etcdj.proto.mvccpb.KeyValue.newBuilder()
                .setKey(com.google.protobuf.ByteString.copyFrom(kv.key().unsafeArray()))
                .setValue(com.google.protobuf.ByteString.copyFrom(kv.value().unsafeArray()))
                .setCreateRevision(kv.createRevision()).setModRevision(kv.modRevision())
                .setVersion(kv.version()).setLease(kv.lease()).build();
    }

    /** One encoded {@code WatchResponse}. */
    static WatchMessage decode(byte[] message) throws IOException {
        CodedInputStream in = CodedInputStream.newInstance(message);
        ResponseHeader header = ResponseHeader.EMPTY;
        long watchId = 0;
        boolean created = false;
        boolean canceled = false;
        long compactRevision = 0;
        String cancelReason = "";
        boolean fragment = false;
        WatchEvent first = null;    // most messages carry one event: no list until a second
        List<WatchEvent> more = null;
        for (int tag = in.readTag(); tag != 0; tag = in.readTag()) {
            switch (tag) {
                case HEADER -> header = WireMessages.header(in, header);
                case WATCH_ID -> watchId = in.readInt64();
                case CREATED -> created = in.readBool();
                case CANCELED -> canceled = in.readBool();
                case COMPACT_REVISION -> compactRevision = in.readInt64();
                case CANCEL_REASON -> cancelReason = in.readString();
                case FRAGMENT -> fragment = in.readBool();
                case EVENTS -> {
                    WatchEvent e = event(in);
                    if (first == null) {
                        first = e;
                    } else {
                        if (more == null) {
                            more = new ArrayList<>();
                            more.add(first);
                        }
                        more.add(e);
                    }
                }
                default -> in.skipField(tag);
            }
        }
        List<WatchEvent> events = more != null ? List.copyOf(more) : first != null ? List.of(first) : List.of();
        return new WatchMessage(header, watchId, created, canceled, compactRevision, cancelReason, fragment, events,
                message.length);
    }

    /** An mvccpb.Event: any type but DELETE (1) is a put, as etcd has only the two. */
    private static WatchEvent event(CodedInputStream in) throws IOException {
        int type = 0;
        KeyValue kv = null;
        KeyValue prevKv = null;
        int limit = in.pushLimit(in.readRawVarint32());
        for (int tag = in.readTag(); tag != 0; tag = in.readTag()) {
            switch (tag) {
                case 1 << 3 -> type = in.readEnum();
                case 2 << 3 | 2 -> kv = WireMessages.keyValue(in, kv);
                case 3 << 3 | 2 -> prevKv = WireMessages.keyValue(in, prevKv);
                default -> in.skipField(tag);
            }
        }
        in.popLimit(limit);
        return new WatchEvent(type == Event.EventType.DELETE_VALUE ? WatchEvent.Type.DELETE : WatchEvent.Type.PUT,
                kv != null ? kv : new KeyValue(Bytes.EMPTY, Bytes.EMPTY, 0, 0, 0, 0),
                prevKv != null ? Optional.of(prevKv) : Optional.empty());
    }
}
