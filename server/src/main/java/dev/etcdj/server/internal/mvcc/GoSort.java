package dev.etcdj.server.internal.mvcc;

import java.util.Collections;
import java.util.Comparator;
import java.util.List;

/**
 * The unstable sort of Go 1.19's {@code sort.Sort} (pattern-defeating quicksort), which etcd 3.4.23
 * (built with go1.19.8) uses to sort Range results. Sorting by version, create/mod revision or value
 * has ties, and etcd returns tied keys in whatever order this algorithm leaves them, which for more
 * than 12 keys is not key order. A stable Java sort would differ, so the same steps are reproduced
 * here: the same comparisons and swaps in the same order give the same permutation.
 */
final class GoSort {
    private static final int MAX_INSERTION = 12;
    private static final int UNKNOWN_HINT = 0;
    private static final int INCREASING_HINT = 1;
    private static final int DECREASING_HINT = 2;

    private final List<?> data;
    private final Comparator<Object> cmp;
    private int swaps; // choosePivot's counter

    @SuppressWarnings("unchecked")
    private <T> GoSort(List<T> data, Comparator<? super T> cmp) {
        this.data = data;
        this.cmp = (Comparator<Object>) cmp;
    }

    /** Sorts {@code data} in place like Go's {@code sort.Sort} with {@code Less(i, j) = cmp(i, j) < 0}. */
    static <T> void sort(List<T> data, Comparator<? super T> cmp) {
        int n = data.size();
        if (n <= 1) {
            return;
        }
        new GoSort(data, cmp).pdqsort(0, n, bitsLen(n));
    }

    private boolean less(int i, int j) {
        return cmp.compare(data.get(i), data.get(j)) < 0;
    }

    private void swap(int i, int j) {
        Collections.swap(data, i, j);
    }

    private static int bitsLen(long x) {
        return 64 - Long.numberOfLeadingZeros(x);
    }

    private void insertionSort(int a, int b) {
        for (int i = a + 1; i < b; i++) {
            for (int j = i; j > a && less(j, j - 1); j--) {
                swap(j, j - 1);
            }
        }
    }

    private void siftDown(int lo, int hi, int first) {
        int root = lo;
        while (true) {
            int child = 2 * root + 1;
            if (child >= hi) {
                return;
            }
            if (child + 1 < hi && less(first + child, first + child + 1)) {
                child++;
            }
            if (!less(first + root, first + child)) {
                return;
            }
            swap(first + root, first + child);
            root = child;
        }
    }

    private void heapSort(int a, int b) {
        int first = a;
        int hi = b - a;
        for (int i = (hi - 1) / 2; i >= 0; i--) {
            siftDown(i, hi, first);
        }
        for (int i = hi - 1; i >= 0; i--) {
            swap(first, first + i);
            siftDown(0, i, first);
        }
    }

    private void pdqsort(int a, int b, int limit) {
        boolean wasBalanced = true;
        boolean wasPartitioned = true;
        while (true) {
            int length = b - a;
            if (length <= MAX_INSERTION) {
                insertionSort(a, b);
                return;
            }
            if (limit == 0) {
                heapSort(a, b);
                return;
            }
            if (!wasBalanced) {
                breakPatterns(a, b);
                limit--;
            }
            long ph = choosePivot(a, b);
            int pivot = (int) (ph >> 2);
            int hint = (int) (ph & 3);
            if (hint == DECREASING_HINT) {
                reverseRange(a, b);
                pivot = (b - 1) - (pivot - a);
                hint = INCREASING_HINT;
            }
            if (wasBalanced && wasPartitioned && hint == INCREASING_HINT && partialInsertionSort(a, b)) {
                return;
            }
            if (a > 0 && !less(a - 1, pivot)) {
                a = partitionEqual(a, b, pivot);
                continue;
            }
            long pr = partition(a, b, pivot);
            int mid = (int) (pr >> 1);
            wasPartitioned = (pr & 1) != 0;
            int leftLen = mid - a;
            int rightLen = b - mid;
            int balanceThreshold = length / 8;
            if (leftLen < rightLen) {
                wasBalanced = leftLen >= balanceThreshold;
                pdqsort(a, mid, limit);
                a = mid + 1;
            } else {
                wasBalanced = rightLen >= balanceThreshold;
                pdqsort(mid + 1, b, limit);
                b = mid;
            }
        }
    }

    /** Returns {@code newPivot << 1 | alreadyPartitioned}. */
    private long partition(int a, int b, int pivot) {
        swap(a, pivot);
        int i = a + 1;
        int j = b - 1;
        while (i <= j && less(i, a)) {
            i++;
        }
        while (i <= j && !less(j, a)) {
            j--;
        }
        if (i > j) {
            swap(j, a);
            return ((long) j << 1) | 1;
        }
        swap(i++, j--);
        while (true) {
            while (i <= j && less(i, a)) {
                i++;
            }
            while (i <= j && !less(j, a)) {
                j--;
            }
            if (i > j) {
                break;
            }
            swap(i++, j--);
        }
        swap(j, a);
        return (long) j << 1;
    }

    private int partitionEqual(int a, int b, int pivot) {
        swap(a, pivot);
        int i = a + 1;
        int j = b - 1;
        while (true) {
            while (i <= j && !less(a, i)) {
                i++;
            }
            while (i <= j && less(a, j)) {
                j--;
            }
            if (i > j) {
                break;
            }
            swap(i++, j--);
        }
        return i;
    }

    private boolean partialInsertionSort(int a, int b) {
        final int maxSteps = 5;
        final int shortestShifting = 50;
        int i = a + 1;
        for (int step = 0; step < maxSteps; step++) {
            while (i < b && !less(i, i - 1)) {
                i++;
            }
            if (i == b) {
                return true;
            }
            if (b - a < shortestShifting) {
                return false;
            }
            swap(i, i - 1);
            // Go shifts down to index 1 here (not to a): reproduced as is.
            if (i - a >= 2) {
                for (int j = i - 1; j >= 1; j--) {
                    if (!less(j, j - 1)) {
                        break;
                    }
                    swap(j, j - 1);
                }
            }
            if (b - i >= 2) {
                for (int j = i + 1; j < b; j++) {
                    if (!less(j, j - 1)) {
                        break;
                    }
                    swap(j, j - 1);
                }
            }
        }
        return false;
    }

    private void breakPatterns(int a, int b) {
        int length = b - a;
        if (length >= 8) {
            long random = length; // xorshift seeded with the length, as in Go
            long modulus = 1L << bitsLen(length);
            for (int idx = a + (length / 4) * 2 - 1; idx <= a + (length / 4) * 2 + 1; idx++) {
                random ^= random << 13;
                random ^= random >>> 17;
                random ^= random << 5;
                int other = (int) (random & (modulus - 1));
                if (other >= length) {
                    other -= length;
                }
                swap(idx, a + other);
            }
        }
    }

    /** Returns {@code pivot << 2 | hint}. */
    private long choosePivot(int a, int b) {
        final int shortestNinther = 50;
        final int maxSwaps = 4 * 3;
        int l = b - a;
        swaps = 0;
        int i = a + l / 4;
        int j = a + l / 4 * 2;
        int k = a + l / 4 * 3;
        if (l >= 8) {
            if (l >= shortestNinther) {
                i = median(i - 1, i, i + 1);
                j = median(j - 1, j, j + 1);
                k = median(k - 1, k, k + 1);
            }
            j = median(i, j, k);
        }
        int hint = swaps == 0 ? INCREASING_HINT : swaps == maxSwaps ? DECREASING_HINT : UNKNOWN_HINT;
        return ((long) j << 2) | hint;
    }

    private int median(int a, int b, int c) {
        if (less(b, a)) {
            swaps++;
            int t = a;
            a = b;
            b = t;
        }
        if (less(c, b)) {
            swaps++;
            int t = b;
            b = c;
            c = t;
        }
        if (less(b, a)) {
            swaps++;
            b = a;
        }
        return b;
    }

    private void reverseRange(int a, int b) {
        for (int i = a, j = b - 1; i < j; i++, j--) {
            swap(i, j);
        }
    }
}
