package dev.etcdj.server.internal.auth;

import dev.etcdj.proto.authpb.Permission;
import dev.etcdj.proto.authpb.Role;
import dev.etcdj.proto.authpb.User;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * One user's merged key permissions, checked like etcd's interval trees: an empty byte string as
 * an interval bound means +infinity (etcd's "affine" comparison), a single-key grant is the
 * interval [key, key+"\0"), a point request passes if any read (write) interval holds the key and
 * a range request passes only if the union of intervals covers it entirely.
 */
final class RangePerms {
    private final List<byte[][]> read;
    private final List<byte[][]> write;

    private RangePerms(List<byte[][]> read, List<byte[][]> write) {
        this.read = read;
        this.write = write;
    }

    static RangePerms merge(User user, Map<String, Role> roles) {
        List<byte[][]> read = new ArrayList<>();
        List<byte[][]> write = new ArrayList<>();
        for (String roleName : user.getRolesList()) {
            Role role = roles.get(roleName);
            if (role == null) {
                continue;
            }
            for (Permission p : role.getKeyPermissionList()) {
                byte[] key = p.getKey().toByteArray();
                byte[] end = p.getRangeEnd().toByteArray();
                byte[][] ivl;
                if (end.length == 0) {
                    ivl = new byte[][] {key, Arrays.copyOf(key, key.length + 1)};
                } else {
                    ivl = new byte[][] {key, isFromKey(end) ? new byte[0] : end};
                }
                switch (p.getPermType()) {
                    case READ -> read.add(ivl);
                    case WRITE -> write.add(ivl);
                    case READWRITE -> {
                        read.add(ivl);
                        write.add(ivl);
                    }
                    default -> {
                    }
                }
            }
        }
        read.sort((a, b) -> compare(a[0], b[0]));
        write.sort((a, b) -> compare(a[0], b[0]));
        return new RangePerms(read, write);
    }

    private static boolean isFromKey(byte[] end) {
        return end.length == 1 && end[0] == 0;
    }

    boolean permits(boolean forWrite, byte[] key, byte[] rangeEnd) {
        List<byte[][]> ivls = forWrite ? write : read;
        if (rangeEnd == null || rangeEnd.length == 0) {
            for (byte[][] ivl : ivls) {
                if (compare(ivl[0], key) <= 0 && compare(key, ivl[1]) < 0) {
                    return true;
                }
            }
            return false;
        }
        byte[] end = isFromKey(rangeEnd) ? new byte[0] : rangeEnd;
        byte[] minBegin = null;
        byte[] maxEnd = null;
        for (byte[][] ivl : ivls) {
            // only intervals intersecting the request count, in begin order (like the tree's Visit)
            if (!(compare(ivl[0], end) < 0 && compare(key, ivl[1]) < 0)) {
                continue;
            }
            if (minBegin == null) {
                minBegin = ivl[0];
                maxEnd = ivl[1];
                continue;
            }
            if (compare(maxEnd, ivl[0]) < 0) {
                return false;
            }
            if (compare(ivl[1], maxEnd) > 0) {
                maxEnd = ivl[1];
            }
        }
        return minBegin != null && compare(maxEnd, end) >= 0 && compare(minBegin, key) <= 0;
    }

    /** etcd's BytesAffineComparable: empty sorts after everything else. */
    static int compare(byte[] a, byte[] b) {
        if (a.length == 0) {
            return b.length == 0 ? 0 : 1;
        }
        if (b.length == 0) {
            return -1;
        }
        return Arrays.compareUnsigned(a, b);
    }
}
