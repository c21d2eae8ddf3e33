package dev.etcdj.client;

/** A role's permission on a key, or on [key, rangeEnd) when rangeEnd is not empty ("\x00" = from key). */
public record Permission(Type type, Bytes key, Bytes rangeEnd) {
    public enum Type { READ, WRITE, READWRITE }

    public Permission {
        rangeEnd = rangeEnd == null ? Bytes.EMPTY : rangeEnd;
    }
}
