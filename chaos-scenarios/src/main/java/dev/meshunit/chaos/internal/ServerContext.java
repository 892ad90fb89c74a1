package dev.meshunit.chaos.internal;

import io.netty.channel.EventLoopGroup;
import java.util.Random;

/** What every proxy of one server shares: its event loops, journal, random source, time and default bind host. */
public record ServerContext(EventLoopGroup acceptors, EventLoopGroup workers, JournalStore journal, Random random,
        String defaultHost, ToxicTimers timers) {
}
