package dev.meshunit.testing;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/** Fails a test class when, after it ran, Netty reports a leaked buffer (see {@link LeakWatch}). */
public final class NoLeaks implements BeforeAllCallback, AfterAllCallback {
    @Override
    public void beforeAll(ExtensionContext context) {
        LeakWatch.install();
        assertThat(LeakWatch.watchesBuffers())
                .as("Netty's buffer leak detector was created before LeakWatch was installed; is %s registered?",
                        LeakWatch.Session.class.getName())
                .isTrue();
    }

    @Override
    public void afterAll(ExtensionContext context) {
        assertThat(LeakWatch.collect()).as("Netty leak reports (maybe from another test class)").isEmpty();
    }
}
