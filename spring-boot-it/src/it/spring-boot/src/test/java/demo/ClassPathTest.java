package demo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.File;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The conditions that broke MeshUnit in Spring Boot projects hold here: the BOM's Netty 4.1, Jackson 2.19 and
 * JUnit 5.12 are what the class path has, and MeshUnit's jars bring none of their own (only relocated copies).
 */
class ClassPathTest {
    private static final List<String> JARS = Arrays.stream(System.getProperty("java.class.path").split(File.pathSeparator))
            .map(p -> new File(p).getName()).toList();

    @Test
    void nettyIsSpringBootsFourOne() {
        assertThat(io.netty.util.Version.identify().get("netty-common").artifactVersion()).startsWith("4.1.");
        assertThatThrownBy(() -> Class.forName("io.netty.channel.MultiThreadIoEventLoopGroup"))
                .isInstanceOf(ClassNotFoundException.class);
        assertThat(JARS).filteredOn(j -> j.startsWith("netty-")).isNotEmpty().allMatch(j -> j.contains("-4.1."));
    }

    @Test
    void jacksonAndJUnitAreTheBomsVersions() {
        assertThat(com.fasterxml.jackson.databind.cfg.PackageVersion.VERSION.toString()).startsWith("2.19.");
        assertThat(JARS).filteredOn(j -> j.startsWith("jackson-")).allMatch(j -> j.contains("-2.19."));
        assertThat(JARS).filteredOn(j -> j.startsWith("junit-jupiter-api-")).singleElement().asString().contains("-5.12.");
    }

    @Test
    void meshUnitBringsNoCopyOfItsInternals() {
        assertThat(JARS).noneMatch(j -> j.startsWith("re2j-") || j.startsWith("jackson-dataformat-yaml-")
                || j.startsWith("netty-codec-base-"));
        assertThat(JARS).anyMatch(j -> j.startsWith("meshunit-core-"));
    }
}
