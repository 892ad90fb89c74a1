package dev.meshunit.journal;

import java.util.Arrays;

/** A first-in first-out queue of longs without boxing: the byte estimates beside the journal's exchanges. */
final class LongRing {
    private long[] items = new long[64];
    private int head;
    private int size;

    void addLast(long v) {
        if (size == items.length) {
            long[] grown = new long[items.length * 2];
            for (int i = 0; i < size; i++) grown[i] = items[(head + i) % items.length];
            items = grown;
            head = 0;
        }
        items[(head + size) % items.length] = v;
        size++;
    }

    long removeFirst() {
        if (size == 0) throw new IllegalStateException("empty");
        long v = items[head];
        head = (head + 1) % items.length;
        size--;
        return v;
    }

    void clear() {
        Arrays.fill(items, 0);
        head = 0;
        size = 0;
    }
}
