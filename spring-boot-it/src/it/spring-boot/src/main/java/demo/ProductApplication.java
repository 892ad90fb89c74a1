package demo;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.context.annotation.Bean;
import org.springframework.web.reactive.function.client.WebClient;

/** The application under test: a product page that asks the ratings service for each product's rating. */
@SpringBootApplication
public class ProductApplication {
    public static void main(String[] args) {
        SpringApplication.run(ProductApplication.class, args);
    }

    @Bean
    WebClient ratingsClient(WebClient.Builder builder, @Value("${ratings.url}") String ratingsUrl) {
        return builder.baseUrl(ratingsUrl).build();
    }
}
