package dev.meshunit.junit;

/** How many requests {@link Mesh#awaitRequests} waits for: {@code atLeast(3)} or {@code exactly(3)}. */
public record RequestCount(int count, boolean exact) {
    public RequestCount {
        if (count < 0) throw new IllegalArgumentException("count must be >= 0 (was " + count + ")");
    }

    public static RequestCount atLeast(int count) {
        return new RequestCount(count, false);
    }

    public static RequestCount exactly(int count) {
        return new RequestCount(count, true);
    }

    public boolean isMetBy(int recorded) {
        return exact ? recorded == count : recorded >= count;
    }

    @Override
    public String toString() {
        return (exact ? "exactly " : "at least ") + count;
    }
}
