package dev.meshunit.chaos.internal;

/** The marker that follows the last chunk of a direction through its toxic chain. */
enum StreamEnd {
    INSTANCE
}
