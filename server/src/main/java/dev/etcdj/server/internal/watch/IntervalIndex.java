package dev.etcdj.server.internal.watch;

import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.Set;
import java.util.function.Consumer;

/**
 * Key intervals {@code [start, end)} in etcd's key order (unsigned lexicographic), each holding a
 * set of values, answering "which intervals contain this key" in O(log n + matches) instead of one
 * test per interval. Like etcd's interval tree for range watchers, but a treap: a binary search
 * tree on (start, end) kept balanced by random priorities, each node knowing the greatest end in
 * its subtree so a lookup skips every subtree that ends at or before the key. A null end is
 * unbounded (a from-key or all-keys watch). Values of equal intervals share one node.
 *
 * <p>Not thread-safe: the hub guards it with its lock.
 */
final class IntervalIndex<V> {

    private static final class Node<V> {
        final byte[] start;
        final byte[] end;
        final int priority;
        final Set<V> values = new LinkedHashSet<>();
        Node<V> left;
        Node<V> right;
        /** Greatest end in this subtree; null = unbounded. */
        byte[] maxEnd;

        Node(byte[] start, byte[] end, int priority) {
            this.start = start;
            this.end = end;
            this.priority = priority;
            this.maxEnd = end;
        }
    }

    private Node<V> root;
    private int intervals;
    private int size;
    private int seed = 0x2545F491;
    /** Set by insert/delete: whether the value set changed. */
    private boolean changed;

    /** Adds value to [start, end) (end null = unbounded); false if it was already there. */
    boolean add(byte[] start, byte[] end, V value) {
        changed = false;
        root = insert(root, start, end, value);
        if (changed) {
            size++;
        }
        return changed;
    }

    /** Removes value from [start, end); false if it was not there. */
    boolean remove(byte[] start, byte[] end, V value) {
        changed = false;
        root = delete(root, start, end, value);
        if (changed) {
            size--;
        }
        return changed;
    }

    /** Calls out with every value whose interval contains key. */
    void forEachContaining(byte[] key, Consumer<? super V> out) {
        stab(root, key, out);
    }

    void forEach(Consumer<? super V> out) {
        walk(root, out);
    }

    /** Number of values. */
    int size() {
        return size;
    }

    /** Number of distinct intervals. */
    int intervals() {
        return intervals;
    }

    boolean isEmpty() {
        return size == 0;
    }

    // ---------------------------------------------------------------- tree

    private void stab(Node<V> n, byte[] key, Consumer<? super V> out) {
        while (n != null && endsAfter(n.maxEnd, key)) {
            stab(n.left, key, out);
            if (Arrays.compareUnsigned(n.start, key) > 0) {
                return; // this node and its right subtree start after key
            }
            if (endsAfter(n.end, key)) {
                for (V v : n.values) {
                    out.accept(v);
                }
            }
            n = n.right;
        }
    }

    private void walk(Node<V> n, Consumer<? super V> out) {
        while (n != null) {
            walk(n.left, out);
            for (V v : n.values) {
                out.accept(v);
            }
            n = n.right;
        }
    }

    private Node<V> insert(Node<V> n, byte[] start, byte[] end, V value) {
        if (n == null) {
            Node<V> created = new Node<>(start, end, nextPriority());
            created.values.add(value);
            intervals++;
            changed = true;
            return created;
        }
        int c = compare(start, end, n);
        if (c == 0) {
            changed = n.values.add(value);
            return n;
        }
        if (c < 0) {
            n.left = insert(n.left, start, end, value);
            if (n.left.priority > n.priority) {
                n = rotateRight(n);
            }
        } else {
            n.right = insert(n.right, start, end, value);
            if (n.right.priority > n.priority) {
                n = rotateLeft(n);
            }
        }
        update(n);
        return n;
    }

    private Node<V> delete(Node<V> n, byte[] start, byte[] end, V value) {
        if (n == null) {
            return null;
        }
        int c = compare(start, end, n);
        if (c == 0) {
            changed = n.values.remove(value);
            if (!n.values.isEmpty()) {
                return n;
            }
            intervals--;
            return merge(n.left, n.right);
        }
        if (c < 0) {
            n.left = delete(n.left, start, end, value);
        } else {
            n.right = delete(n.right, start, end, value);
        }
        update(n);
        return n;
    }

    /** Joins two treaps where every node of a sorts before every node of b. */
    private Node<V> merge(Node<V> a, Node<V> b) {
        if (a == null) {
            return b;
        }
        if (b == null) {
            return a;
        }
        if (a.priority > b.priority) {
            a.right = merge(a.right, b);
            update(a);
            return a;
        }
        b.left = merge(a, b.left);
        update(b);
        return b;
    }

    private Node<V> rotateRight(Node<V> n) {
        Node<V> l = n.left;
        n.left = l.right;
        l.right = n;
        update(n);
        update(l);
        return l;
    }

    private Node<V> rotateLeft(Node<V> n) {
        Node<V> r = n.right;
        n.right = r.left;
        r.left = n;
        update(n);
        update(r);
        return r;
    }

    private static <V> void update(Node<V> n) {
        byte[] m = n.end;
        if (n.left != null) {
            m = maxEnd(m, n.left.maxEnd);
        }
        if (n.right != null) {
            m = maxEnd(m, n.right.maxEnd);
        }
        n.maxEnd = m;
    }

    private static int compare(byte[] start, byte[] end, Node<?> n) {
        int c = Arrays.compareUnsigned(start, n.start);
        return c != 0 ? c : compareEnds(end, n.end);
    }

    private static int compareEnds(byte[] a, byte[] b) {
        if (a == null) {
            return b == null ? 0 : 1;
        }
        return b == null ? -1 : Arrays.compareUnsigned(a, b);
    }

    private static byte[] maxEnd(byte[] a, byte[] b) {
        return compareEnds(a, b) >= 0 ? a : b;
    }

    /** Whether an interval ending at end (exclusive; null = unbounded) reaches past key. */
    private static boolean endsAfter(byte[] end, byte[] key) {
        return end == null || Arrays.compareUnsigned(end, key) > 0;
    }

    private int nextPriority() {
        int x = seed; // xorshift: cheap, and balance only needs priorities that look random
        x ^= x << 13;
        x ^= x >>> 17;
        x ^= x << 5;
        seed = x;
        return x;
    }
}
