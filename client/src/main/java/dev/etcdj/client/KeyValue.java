package dev.etcdj.client;

/**
 * One key's state at a revision. {@code createRevision} is the revision of the put that created
 * this incarnation of the key, {@code modRevision} the last put, {@code version} counts puts since
 * creation (1 on creation), {@code lease} is 0 when the key has no lease.
 */
public record KeyValue(Bytes key, Bytes value, long createRevision, long modRevision, long version, long lease) {
    public KeyValue {
        key = key == null ? Bytes.EMPTY : key;
        value = value == null ? Bytes.EMPTY : value;
    }
}
