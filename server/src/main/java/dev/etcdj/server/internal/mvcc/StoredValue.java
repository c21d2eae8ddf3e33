package dev.etcdj.server.internal.mvcc;

import dev.etcdj.proto.mvccpb.KeyValue;

/**
 * The key and lease of a stored {@link KeyValue}, read from its wire form without decoding the rest:
 * what the start-up rebuild of the key index needs from each of the store's revisions. One instance
 * is reused for every value of a scan (its fields are those of the last value read).
 *
 * <p>Read the way protobuf's parser reads the message: a field given twice keeps its last value, fields
 * this reader does not need (the value, revisions, version, unknown ones) are skipped by their wire
 * type, and anything malformed (a truncated field, an over-long varint, an unknown wire type, field
 * number 0) is a corrupt revision value; so is a group, which no writer of a KeyValue emits.
 */
final class StoredValue {
    private static final byte[] EMPTY = new byte[0];
    private static final int KEY = KeyValue.KEY_FIELD_NUMBER;
    private static final int LEASE = KeyValue.LEASE_FIELD_NUMBER;

    /** The key of the last value read (a new array; empty if the value had none). */
    byte[] key;
    /** The lease of the last value read, 0 for none. */
    long lease;

    private byte[] buf;
    private int pos;
    private int end;

    /** Reads {@code b[from..to)}; throws {@link IllegalStateException} if it is not a valid message. */
    void read(byte[] b, int from, int to) {
        buf = b;
        pos = from;
        end = to;
        key = EMPTY;
        lease = 0;
        while (pos < end) {
            long tag = varint();
            long field = tag >>> 3;
            if (field == 0 || field > 0x1fff_ffffL) {
                throw corrupt();
            }
            switch ((int) tag & 7) {
                case 0 -> {
                    long v = varint();
                    if (field == LEASE) {
                        lease = v;
                    }
                }
                case 1 -> skip(8);
                case 2 -> {
                    long len = varint();
                    if (len < 0 || len > end - pos) {
                        throw corrupt();
                    }
                    if (field == KEY) {
                        key = java.util.Arrays.copyOfRange(buf, pos, pos + (int) len);
                    }
                    pos += (int) len;
                }
                case 5 -> skip(4);
                default -> throw corrupt();
            }
        }
        buf = null;
    }

    private void skip(int n) {
        if (n > end - pos) {
            throw corrupt();
        }
        pos += n;
    }

    private long varint() {
        long v = 0;
        for (int shift = 0; shift < 64; shift += 7) {
            if (pos >= end) {
                throw corrupt();
            }
            byte b = buf[pos++];
            v |= (long) (b & 0x7f) << shift;
            if (b >= 0) {
                return v;
            }
        }
        throw corrupt();
    }

    private static IllegalStateException corrupt() {
        return new IllegalStateException("corrupt revision value");
    }
}
