package dev.meshunit.chaos.experiment;

/** A provider could not do its work (no connection, timeout, process not started), as Chaos Toolkit's ActivityFailed. */
final class ActivityFailed extends Exception {
    ActivityFailed(String message) {
        super(message);
    }
}
