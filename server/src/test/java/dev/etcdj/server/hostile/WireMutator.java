package dev.etcdj.server.hostile;

import java.io.ByteArrayOutputStream;
import java.util.Arrays;
import java.util.Random;

/**
 * A seeded generator of hostile protobuf encodings: random field numbers and wire types (incl.
 * the invalid 6 and 7 and unbalanced groups), truncated and over-long varints, length prefixes
 * larger than what follows, deep nesting, unknown fields appended to valid messages, and byte
 * flips / cuts / splices of valid messages. The same seed gives the same inputs.
 */
final class WireMutator {
    private final Random random;

    WireMutator(long seed) {
        this.random = new Random(seed);
    }

    /** One hostile input, derived from {@code valid} (a valid encoding of the method's request) or not. */
    byte[] next(byte[] valid) {
        return switch (random.nextInt(8)) {
            case 0 -> randomFields(random.nextInt(12));
            case 1 -> flip(valid);
            case 2 -> cut(valid);
            case 3 -> concat(valid, randomFields(1 + random.nextInt(4))); // unknown fields after valid ones
            case 4 -> concat(randomFields(1 + random.nextInt(3)), valid);
            case 5 -> nested(1 + random.nextInt(120));
            case 6 -> oversizedLength();
            default -> badVarint();
        };
    }

    private byte[] randomFields(int n) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (int i = 0; i < n; i++) {
            int field = switch (random.nextInt(4)) {
                case 0 -> 1 + random.nextInt(12);            // fields the messages have
                case 1 -> 1 + random.nextInt(1 << 10);       // unknown ones
                case 2 -> (1 << 29) - 1;                     // the largest legal field number
                default -> random.nextInt(3) == 0 ? 0 : 19000 + random.nextInt(1000); // 0 and reserved: illegal
            };
            int wireType = random.nextInt(8);
            varint(out, ((long) field << 3) | wireType);
            switch (wireType) {
                case 0 -> varint(out, random.nextLong());
                case 1 -> out.writeBytes(bytes(8));
                case 2 -> {
                    byte[] body = random.nextBoolean() ? bytes(random.nextInt(40)) : randomFields(random.nextInt(3));
                    varint(out, random.nextInt(5) == 0 ? body.length + 1 + random.nextInt(1 << 20) : body.length);
                    out.writeBytes(body);
                }
                case 5 -> out.writeBytes(bytes(4));
                default -> out.writeBytes(bytes(random.nextInt(6))); // 3/4 groups, 6/7 invalid
            }
        }
        return out.toByteArray();
    }

    private byte[] flip(byte[] valid) {
        byte[] b = valid.length == 0 ? bytes(1 + random.nextInt(8)) : valid.clone();
        for (int i = 1 + random.nextInt(4); i > 0; i--) {
            b[random.nextInt(b.length)] ^= (byte) (1 << random.nextInt(8));
        }
        return b;
    }

    private byte[] cut(byte[] valid) {
        return valid.length == 0 ? new byte[] {(byte) 0x0a} : Arrays.copyOf(valid, random.nextInt(valid.length));
    }

    /** Field 1 as a length-delimited message holding itself, {@code depth} times (recursion limits). */
    private byte[] nested(int depth) {
        byte[] inner = randomFields(1);
        for (int i = 0; i < depth; i++) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            varint(out, (1L << 3) | 2);
            varint(out, inner.length);
            out.writeBytes(inner);
            inner = out.toByteArray();
        }
        return inner;
    }

    private byte[] oversizedLength() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        varint(out, ((long) (1 + random.nextInt(8)) << 3) | 2);
        varint(out, random.nextBoolean() ? Integer.MAX_VALUE : 0xffff_ffffL + random.nextInt(1000));
        out.writeBytes(bytes(random.nextInt(16)));
        return out.toByteArray();
    }

    private byte[] badVarint() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        varint(out, ((long) (1 + random.nextInt(8)) << 3));
        int len = random.nextBoolean() ? 1 + random.nextInt(9) : 11 + random.nextInt(5); // truncated or over-long
        for (int i = 0; i < len; i++) {
            out.write(0x80 | random.nextInt(128));
        }
        return out.toByteArray();
    }

    private byte[] bytes(int n) {
        byte[] b = new byte[n];
        random.nextBytes(b);
        return b;
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] r = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, r, a.length, b.length);
        return r;
    }

    static void varint(ByteArrayOutputStream out, long v) {
        while ((v & ~0x7fL) != 0) {
            out.write((int) ((v & 0x7f) | 0x80));
            v >>>= 7;
        }
        out.write((int) v);
    }
}
