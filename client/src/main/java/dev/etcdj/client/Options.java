package dev.etcdj.client;

import java.util.List;

/**
 * The options of get, put, delete and watch, as in Go's clientv3 ({@code WithPrefix()} is
 * {@code prefix()} here). Each returns a type that only the operations it makes sense for accept,
 * so a wrong option does not compile. Use with {@code import static dev.etcdj.client.Options.*;}
 * <pre>{@code
 * kv.get("key", prefix(), sort(SortTarget.KEY, SortOrder.DESCEND));
 * kv.put("foo", "bar", lease(id), prevKv());
 * }</pre>
 */
public final class Options {

    private Options() {}

    // ---- key ranges: get, delete, watch

    /** Every key that starts with the key. An empty key means every key. */
    public static KeyRange prefix() {
        return KeyRange.PREFIX;
    }

    /** Keys in [key, end). */
    public static KeyRange range(String end) {
        return new KeyRange(Bytes.of(end), false);
    }

    /** Keys in [key, end). */
    public static KeyRange range(Bytes end) {
        return new KeyRange(end, false);
    }

    /** Every key greater than or equal to the key. */
    public static KeyRange fromKey() {
        return KeyRange.FROM_KEY;
    }

    // ---- revisions: get (read at), watch (start at)

    /** For a get, read the store as it was at this revision; for a watch, start at this revision. */
    public static Revision revision(long revision) {
        return new Revision(revision);
    }

    // ---- get only

    public static Limit limit(long limit) {
        return new Limit(limit);
    }

    public static Sort sort(SortTarget target, SortOrder order) {
        return new Sort(target, order);
    }

    /** Read the local member's state without a round of consensus: faster, possibly stale. */
    public static GetFlag serializable() {
        return GetFlag.SERIALIZABLE;
    }

    public static GetFlag keysOnly() {
        return GetFlag.KEYS_ONLY;
    }

    public static GetFlag countOnly() {
        return GetFlag.COUNT_ONLY;
    }

    public static RevisionBound minModRevision(long revision) {
        return new RevisionBound(RevisionBound.Kind.MIN_MOD, revision);
    }

    public static RevisionBound maxModRevision(long revision) {
        return new RevisionBound(RevisionBound.Kind.MAX_MOD, revision);
    }

    public static RevisionBound minCreateRevision(long revision) {
        return new RevisionBound(RevisionBound.Kind.MIN_CREATE, revision);
    }

    public static RevisionBound maxCreateRevision(long revision) {
        return new RevisionBound(RevisionBound.Kind.MAX_CREATE, revision);
    }

    /** The lexically first key with the prefix. */
    public static Combined firstKey() {
        return top(SortTarget.KEY, SortOrder.ASCEND);
    }

    /** The lexically last key with the prefix. */
    public static Combined lastKey() {
        return top(SortTarget.KEY, SortOrder.DESCEND);
    }

    /** The key with the prefix modified longest ago. */
    public static Combined firstRev() {
        return top(SortTarget.MOD, SortOrder.ASCEND);
    }

    /** The key with the prefix modified last. */
    public static Combined lastRev() {
        return top(SortTarget.MOD, SortOrder.DESCEND);
    }

    /** The oldest key with the prefix. */
    public static Combined firstCreate() {
        return top(SortTarget.CREATE, SortOrder.ASCEND);
    }

    /** The newest key with the prefix. */
    public static Combined lastCreate() {
        return top(SortTarget.CREATE, SortOrder.DESCEND);
    }

    private static Combined top(SortTarget target, SortOrder order) {
        return new Combined(List.of(prefix(), sort(target, order), limit(1)));
    }

    // ---- put only

    /** Attach the key to this lease; it is deleted when the lease ends. */
    public static Lease lease(long leaseId) {
        return new Lease(leaseId);
    }

    /** Update the key's lease, keeping its value. */
    public static PutFlag ignoreValue() {
        return PutFlag.IGNORE_VALUE;
    }

    /** Update the key's value, keeping its lease. */
    public static PutFlag ignoreLease() {
        return PutFlag.IGNORE_LEASE;
    }

    // ---- put, delete, watch

    /** Return (or, for a watch, attach to each event) the key's value before the change. */
    public static PrevKv prevKv() {
        return PrevKv.INSTANCE;
    }

    // ---- watch only

    /** Ask the server for periodic empty responses that tell how far the watch has got. */
    public static WatchFlag progressNotify() {
        return WatchFlag.PROGRESS_NOTIFY;
    }

    /** Drop put events. */
    public static WatchFlag noPut() {
        return WatchFlag.NO_PUT;
    }

    /** Drop delete events. */
    public static WatchFlag noDelete() {
        return WatchFlag.NO_DELETE;
    }

    /** Let the server split very large responses; the client joins the pieces again. */
    public static WatchFlag fragment() {
        return WatchFlag.FRAGMENT;
    }

    // ---- the option values

    /** A key range: a prefix, from-key (end "\x00") or an explicit end. */
    public record KeyRange(Bytes end, boolean prefix) implements GetOption, DeleteOption, WatchOption {
        static final KeyRange PREFIX = new KeyRange(Bytes.EMPTY, true);
        static final KeyRange FROM_KEY = new KeyRange(Bytes.ZERO, false);
    }

    public record Revision(long revision) implements GetOption, WatchOption {}

    public record Limit(long limit) implements GetOption {}

    public record Sort(SortTarget target, SortOrder order) implements GetOption {}

    public enum GetFlag implements GetOption { SERIALIZABLE, KEYS_ONLY, COUNT_ONLY }

    public record RevisionBound(Kind kind, long revision) implements GetOption {
        public enum Kind { MIN_MOD, MAX_MOD, MIN_CREATE, MAX_CREATE }
    }

    /** Several get options as one, like clientv3's {@code WithFirstKey()}. */
    public record Combined(List<GetOption> options) implements GetOption {
        public Combined {
            options = List.copyOf(options);
        }
    }

    public record Lease(long leaseId) implements PutOption {}

    public enum PutFlag implements PutOption { IGNORE_VALUE, IGNORE_LEASE }

    public enum PrevKv implements PutOption, DeleteOption, WatchOption { INSTANCE }

    public enum WatchFlag implements WatchOption { PROGRESS_NOTIFY, NO_PUT, NO_DELETE, FRAGMENT }
}
