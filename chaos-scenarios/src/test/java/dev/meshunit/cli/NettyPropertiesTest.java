package dev.meshunit.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Properties;
import org.junit.jupiter.api.Test;

/** A user's -Dio.netty.* flags reach the relocated Netty of meshunit.jar; flags given under both names keep theirs. */
class NettyPropertiesTest {
    private static final String RELOCATED = "dev.meshunit.shaded.io.netty.";

    @Test
    void copiesEachNettyFlagToTheRelocatedNameUnlessThatIsGivenToo() {
        Properties p = new Properties();
        p.setProperty("io.netty.leakDetection.level", "paranoid");
        p.setProperty("io.netty.allocator.type", "unpooled");
        p.setProperty(RELOCATED + "allocator.type", "pooled");
        p.setProperty("io.nettyish", "x");
        p.setProperty("user.name", "u");
        NettyProperties.copy(p, RELOCATED);
        assertThat(p.getProperty(RELOCATED + "leakDetection.level")).isEqualTo("paranoid");
        assertThat(p.getProperty(RELOCATED + "allocator.type")).isEqualTo("pooled");
        assertThat(p.stringPropertyNames()).hasSize(6);
    }

    @Test
    void unrelocatedNettyNeedsNoCopy() {
        Properties p = new Properties();
        p.setProperty("io.netty.leakDetection.level", "paranoid");
        NettyProperties.copy(p, "io.netty.");
        assertThat(p.stringPropertyNames()).containsExactly("io.netty.leakDetection.level");
    }
}
