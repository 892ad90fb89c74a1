package dev.meshunit.admin;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.databind.ser.std.StdSerializer;
import java.io.IOException;
import java.time.Duration;

/**
 * The admin API's object mappers, made on the first request that needs one: databind's set-up (its type
 * factory, date format, serializer caches) is not on the way to the proxy's first answer (issue 16, start-up).
 */
final class AdminJson {
    private AdminJson() {}

    /** Journal, stats, faults, replies. */
    static ObjectMapper mapper() {
        return Plain.MAPPER;
    }

    /** The config model: empty and absent fields left out, durations as Istio writes them. */
    static ObjectMapper config() {
        return Config.MAPPER;
    }

    private static final class Plain {
        static final ObjectMapper MAPPER = new ObjectMapper();
    }

    private static final class Config {
        static final ObjectMapper MAPPER = new ObjectMapper()
                .setSerializationInclusion(JsonInclude.Include.NON_EMPTY)
                .registerModule(new SimpleModule().addSerializer(Duration.class, new StdSerializer<>(Duration.class) {
                    @Override
                    public void serialize(Duration d, JsonGenerator g, SerializerProvider p) throws IOException {
                        long ms = d.toMillis();
                        g.writeString(ms % 1000 == 0 ? ms / 1000 + "s" : ms + "ms");
                    }
                }));
    }
}
