package dev.etcdj.client.internal;

import static dev.etcdj.client.internal.WireMessages.nested;

import com.google.protobuf.CodedInputStream;
import dev.etcdj.client.Bytes;
import dev.etcdj.client.DeleteResponse;
import dev.etcdj.client.EtcdException;
import dev.etcdj.client.GetResponse;
import dev.etcdj.client.KeyValue;
import dev.etcdj.client.OpResponse;
import dev.etcdj.client.PutResponse;
import dev.etcdj.client.ResponseHeader;
import dev.etcdj.client.TxnResponse;
import io.grpc.KnownLength;
import io.grpc.MethodDescriptor;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Reads etcd's KV responses ({@code RangeResponse}, {@code PutResponse}, {@code DeleteRangeResponse},
 * {@code TxnResponse}; rpc.proto, mvccpb/kv.proto) from the wire straight into the public records.
 * With the generated parser each response was built twice (protobuf builder and message, then the
 * record) and each key and value copied twice after leaving the network buffer; here the message
 * is read once into an array and each key and value copied out of it once.
 *
 * <p>Reads as protobuf's generated parser does: fields it does not know (or on an unexpected wire
 * type) are skipped, a message field that comes twice is merged into the first (repeated fields
 * appended, scalars that come again replace), and of a {@code ResponseOp}'s one-of the last wins,
 * merged with an earlier one of the same kind.
 */
public final class KvResponseDecoder<T> implements MethodDescriptor.Marshaller<T> {

    public static final KvResponseDecoder<GetResponse> RANGE =
            new KvResponseDecoder<>("range", KvResponseDecoder::range);
    public static final KvResponseDecoder<PutResponse> PUT = new KvResponseDecoder<>("put", KvResponseDecoder::put);
    public static final KvResponseDecoder<DeleteResponse> DELETE = new KvResponseDecoder<>("delete range",
            KvResponseDecoder::delete);
    public static final KvResponseDecoder<TxnResponse> TXN =
            new KvResponseDecoder<>("txn", (in, base) -> txn(in, base, 0));

    private static final int LENGTH_DELIMITED = 2;
    /**
     * How deep txns may nest in a response: about protobuf's limit of 100 nested messages (each
     * level of txn is two), so that a hostile message cannot overflow the stack.
     */
    private static final int MAX_TXN_DEPTH = 50;

    private final String what;
    private final WireMessages.Reader<T> reader;

    private KvResponseDecoder(String what, WireMessages.Reader<T> reader) {
        this.what = what;
        this.reader = reader;
    }

    @Override
    public T parse(InputStream stream) {
        try {
            return decode(readFully(stream));
        } catch (IOException | RuntimeException e) {
            // gRPC fails the call with this as the cause, which the caller then hears as is.
            throw new EtcdException(EtcdException.Code.INTERNAL,
                    "etcdj: cannot decode a " + what + " response: " + e.getMessage(), e);
        }
    }

    /** The client never sends a response. */
    @Override
    public InputStream stream(T value) {
        throw new UnsupportedOperationException("etcdj: a " + what + " response is only read");
    }

    /** One encoded message. */
    T decode(byte[] message) throws IOException {
        return reader.read(CodedInputStream.newInstance(message), null);
    }

    static byte[] readFully(InputStream stream) throws IOException {
        if (stream instanceof KnownLength) {
            // gRPC's message streams know their size: one array of exactly that size.
            byte[] message = new byte[stream.available()];
            if (stream.readNBytes(message, 0, message.length) != message.length) {
                throw new IOException("the message ended early");
            }
            return message;
        }
        return stream.readAllBytes();
    }

    // ---- messages; each reads to the end of the input (or of the limit pushed for it)

    private static GetResponse range(CodedInputStream in, GetResponse base) throws IOException {
        ResponseHeader header = base != null ? base.header() : null;
        KeyValues kvs = new KeyValues(base != null ? base.kvs() : List.of());
        boolean hasMore = base != null && base.more();
        long count = base != null ? base.count() : 0;
        for (int tag = in.readTag(); tag != 0; tag = in.readTag()) {
            switch (tag) {
                case 1 << 3 | LENGTH_DELIMITED -> header = WireMessages.header(in, header);
                case 2 << 3 | LENGTH_DELIMITED -> kvs.add(WireMessages.keyValue(in, null));
                case 3 << 3 -> hasMore = in.readBool();
                case 4 << 3 -> count = in.readInt64();
                default -> in.skipField(tag);
            }
        }
        return new GetResponse(orEmpty(header), kvs.list(), hasMore, count);
    }

    private static PutResponse put(CodedInputStream in, PutResponse base) throws IOException {
        ResponseHeader header = base != null ? base.header() : null;
        KeyValue prevKv = base != null ? base.prevKv().orElse(null) : null;
        for (int tag = in.readTag(); tag != 0; tag = in.readTag()) {
            switch (tag) {
                case 1 << 3 | LENGTH_DELIMITED -> header = WireMessages.header(in, header);
                case 2 << 3 | LENGTH_DELIMITED -> prevKv = WireMessages.keyValue(in, prevKv);
                default -> in.skipField(tag);
            }
        }
        return new PutResponse(orEmpty(header), Optional.ofNullable(prevKv));
    }

    private static DeleteResponse delete(CodedInputStream in, DeleteResponse base) throws IOException {
        ResponseHeader header = base != null ? base.header() : null;
        long deleted = base != null ? base.deleted() : 0;
        KeyValues prevKvs = new KeyValues(base != null ? base.prevKvs() : List.of());
        for (int tag = in.readTag(); tag != 0; tag = in.readTag()) {
            switch (tag) {
                case 1 << 3 | LENGTH_DELIMITED -> header = WireMessages.header(in, header);
                case 2 << 3 -> deleted = in.readInt64();
                case 3 << 3 | LENGTH_DELIMITED -> prevKvs.add(WireMessages.keyValue(in, null));
                default -> in.skipField(tag);
            }
        }
        return new DeleteResponse(orEmpty(header), deleted, prevKvs.list());
    }

    private static TxnResponse txn(CodedInputStream in, TxnResponse base, int depth) throws IOException {
        if (depth > MAX_TXN_DEPTH) {
            throw new IOException("txns nested deeper than " + MAX_TXN_DEPTH);
        }
        ResponseHeader header = base != null ? base.header() : null;
        boolean succeeded = base != null && base.succeeded();
        List<OpResponse> responses = base != null ? new ArrayList<>(base.responses()) : new ArrayList<>(2);
        for (int tag = in.readTag(); tag != 0; tag = in.readTag()) {
            switch (tag) {
                case 1 << 3 | LENGTH_DELIMITED -> header = WireMessages.header(in, header);
                case 2 << 3 -> succeeded = in.readBool();
                case 3 << 3 | LENGTH_DELIMITED ->
                        responses.add(nested(in, null, (op, none) -> responseOp(op, depth)));
                default -> in.skipField(tag);
            }
        }
        return new TxnResponse(orEmpty(header), succeeded, responses);
    }

    /** A ResponseOp: one of four responses; none set is no answer the client can give. */
    private static OpResponse responseOp(CodedInputStream in, int depth) throws IOException {
        OpResponse op = null;
        for (int tag = in.readTag(); tag != 0; tag = in.readTag()) {
            switch (tag) {
                case 1 << 3 | LENGTH_DELIMITED ->
                        op = nested(in, op instanceof GetResponse g ? g : null, KvResponseDecoder::range);
                case 2 << 3 | LENGTH_DELIMITED ->
                        op = nested(in, op instanceof PutResponse p ? p : null, KvResponseDecoder::put);
                case 3 << 3 | LENGTH_DELIMITED ->
                        op = nested(in, op instanceof DeleteResponse d ? d : null, KvResponseDecoder::delete);
                case 4 << 3 | LENGTH_DELIMITED ->
                        op = nested(in, op instanceof TxnResponse t ? t : null, (n, b) -> txn(n, b, depth + 1));
                default -> in.skipField(tag);
            }
        }
        if (op == null) {
            throw new IOException("a txn response op holds no response");
        }
        return op;
    }

    private static ResponseHeader orEmpty(ResponseHeader h) {
        return h != null ? h : ResponseHeader.EMPTY;
    }

    /**
     * A repeated KeyValue field as it is read: most responses hold one, which needs no growing list.
     * The list it gives is immutable, so the records keep it as is.
     */
    private static final class KeyValues {
        private final List<KeyValue> base;
        private KeyValue first;
        private List<KeyValue> more;

        KeyValues(List<KeyValue> base) {
            this.base = base;
        }

        void add(KeyValue kv) {
            if (first == null && base.isEmpty()) {
                first = kv;
                return;
            }
            if (more == null) {
                more = new ArrayList<>(base);
                if (first != null) {
                    more.add(first);
                }
            }
            more.add(kv);
        }

        List<KeyValue> list() {
            if (more != null) {
                return List.copyOf(more);
            }
            return first != null ? List.of(first) : base;
        }
    }
}
