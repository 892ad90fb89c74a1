package dev.meshunit.chaos;

/** A rejected proxy or toxic operation; {@link #status()} is the HTTP status Toxiproxy answers with. */
public final class ChaosException extends RuntimeException {
    private final int status;

    public ChaosException(int status, String message, Throwable cause) {
        super(message, cause);
        this.status = status;
    }

    public int status() {
        return status;
    }

    public static ChaosException badRequest(String message) {
        return new ChaosException(400, message, null);
    }

    public static ChaosException notFound(String message) {
        return new ChaosException(404, message, null);
    }

    public static ChaosException conflict(String message) {
        return new ChaosException(409, message, null);
    }
}
