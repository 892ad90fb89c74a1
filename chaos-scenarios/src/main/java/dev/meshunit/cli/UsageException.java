package dev.meshunit.cli;

/** A command line that cannot be run as given; the message names the bad argument. */
final class UsageException extends Exception {
    UsageException(String message) {
        super(message);
    }
}
