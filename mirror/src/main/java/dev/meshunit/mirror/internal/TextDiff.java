package dev.meshunit.mirror.internal;

import dev.meshunit.mirror.Difference;
import java.util.List;

/**
 * A line diff (longest common subsequence) for bodies that are not JSON. A changed line is one difference
 * at the primary's line number; lines only one side has are reported against the other side as absent.
 * Past {@link #MAX_LINES} lines a side, lines are compared position by position.
 */
final class TextDiff {
    static final int MAX_LINES = 2_000;

    private TextDiff() {}

    static void lines(String primary, String candidate, List<Difference> out) {
        String[] a = primary.split("\n", -1);
        String[] b = candidate.split("\n", -1);
        if (a.length > MAX_LINES || b.length > MAX_LINES) {
            positional(a, b, out);
            return;
        }
        int[][] lcs = new int[a.length + 1][b.length + 1];
        for (int i = a.length - 1; i >= 0; i--) {
            for (int j = b.length - 1; j >= 0; j--) {
                lcs[i][j] = a[i].equals(b[j]) ? lcs[i + 1][j + 1] + 1 : Math.max(lcs[i + 1][j], lcs[i][j + 1]);
            }
        }
        int i = 0;
        int j = 0;
        while (i < a.length || j < b.length) {
            if (i < a.length && j < b.length && a[i].equals(b[j])) {
                i++;
                j++;
            } else if (i < a.length && j < b.length && lcs[i + 1][j + 1] == lcs[i][j]) {
                out.add(line(i, a[i], b[j]));
                i++;
                j++;
            } else if (j < b.length && (i == a.length || lcs[i][j + 1] >= lcs[i + 1][j])) {
                out.add(line(i, Difference.ABSENT, b[j]));
                j++;
            } else {
                out.add(line(i, a[i], Difference.ABSENT));
                i++;
            }
        }
    }

    private static void positional(String[] a, String[] b, List<Difference> out) {
        for (int i = 0; i < Math.max(a.length, b.length); i++) {
            String x = i < a.length ? a[i] : Difference.ABSENT;
            String y = i < b.length ? b[i] : Difference.ABSENT;
            if (!x.equals(y)) out.add(line(i, x, y));
        }
    }

    private static Difference line(int index, String primary, String candidate) {
        return new Difference(Difference.Kind.BODY, "line " + (index + 1), primary, candidate);
    }
}
