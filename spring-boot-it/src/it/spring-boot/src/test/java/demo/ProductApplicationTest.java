package demo;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.ApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;

/** An ordinary Spring Boot test without MeshUnit, in the same run. */
@SpringBootTest
class ProductApplicationTest {
    @Autowired ApplicationContext context;

    @Test
    void contextLoads() {
        assertThat(context.getBean(ProductController.class)).isNotNull();
    }
}
