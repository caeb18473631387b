package dev.estoria.facade;

import com.fasterxml.jackson.core.type.TypeReference;
import dev.estoria.aggregate.AggregateDefinition;
import dev.estoria.codec.Codec;
import dev.estoria.error.CodecException;
import dev.estoria.java.CodecProvider;
import dev.estoria.java.JacksonCodec;
import dev.estoria.java.JavaAggregates;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Objects;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** JacksonCodec round-trips records and POJOs that carry no annotation. */
class JacksonCodecTest {
    record Line(String sku, int quantity, List<String> tags, Map<String, Long> prices) {}

    record Nested(Line line, Kind kind) {}

    enum Kind { RETAIL, WHOLESALE }

    /** A POJO with private fields, a no-argument constructor and no getters, setters or annotations. */
    static final class FieldsOnly {
        private String name;
        private long count;

        FieldsOnly() {}

        FieldsOnly(String name, long count) {
            this.name = name;
            this.count = count;
        }

        @Override public boolean equals(Object o) {
            return o instanceof FieldsOnly f && Objects.equals(f.name, name) && f.count == count;
        }

        @Override public int hashCode() { return Objects.hash(name, count); }
    }

    /** A classic JavaBean. */
    public static final class Bean {
        private String title;
        private boolean active;

        public String getTitle() { return title; }
        public void setTitle(String title) { this.title = title; }
        public boolean isActive() { return active; }
        public void setActive(boolean active) { this.active = active; }
    }

    private static <T> T roundTrip(Codec<T> codec, T value) {
        return codec.decode(codec.encode(value));
    }

    @Test
    void recordsRoundTrip() {
        JacksonCodec<Nested> codec = JacksonCodec.of(Nested.class);
        Nested value = new Nested(new Line("sku-1", 3, List.of("a", "b"), Map.of("eur", 1250L)), Kind.WHOLESALE);
        assertEquals(value, roundTrip(codec, value));
        assertEquals("application/json", codec.getContentType());
    }

    @Test
    void pojosWithPrivateFieldsAndNoAnnotationsRoundTrip() {
        JacksonCodec<FieldsOnly> codec = JacksonCodec.of(FieldsOnly.class);
        FieldsOnly value = new FieldsOnly("widgets", 42);
        assertEquals("{\"name\":\"widgets\",\"count\":42}", new String(codec.encode(value), StandardCharsets.UTF_8));
        assertEquals(value, roundTrip(codec, value));
    }

    @Test
    void javaBeansRoundTrip() {
        Bean bean = new Bean();
        bean.setTitle("t");
        bean.setActive(true);
        Bean back = roundTrip(JacksonCodec.of(Bean.class), bean);
        assertEquals("t", back.getTitle());
        assertEquals(true, back.isActive());
    }

    @Test
    void unknownPropertiesAreIgnoredSoOldReadersTolerateNewFields() {
        Line line = JacksonCodec.of(Line.class).decode(
            "{\"sku\":\"x\",\"quantity\":1,\"addedLater\":true}".getBytes(StandardCharsets.UTF_8));
        assertEquals(new Line("x", 1, null, null), line);
    }

    @Test
    void genericTypesUseATypeReference() {
        JacksonCodec<List<Line>> codec = JacksonCodec.of(new TypeReference<List<Line>>() {});
        List<Line> lines = List.of(new Line("a", 1, List.of(), Map.of()), new Line("b", 2, List.of(), Map.of()));
        assertEquals(lines, roundTrip(codec, lines));
    }

    @Test
    void undecodableEventsFailAsCodecFailureWithJacksonsCause() {
        AggregateDefinition<Line> definition = JavaAggregates.define("cart", Line.class)
            .initial(id -> new Line("", 0, List.of(), Map.of()))
            .on(Line.class, "line_added", (s, e) -> e)
            .build();
        CodecException failure = assertThrows(CodecException.class,
            () -> definition.getEvents().decode("line_added", "{not json".getBytes(StandardCharsets.UTF_8)));
        assertEquals("line_added", failure.getTypeName());
        assertEquals(true, failure.getCause() instanceof com.fasterxml.jackson.core.JacksonException);
    }

    @Test
    void aCustomProviderSuppliesEveryCodec() {
        Codec<Line> special = JacksonCodec.of(Line.class);
        CodecProvider provider = new CodecProvider() {
            @Override
            @SuppressWarnings("unchecked")
            public <T> Codec<T> codecFor(Class<T> type) {
                return type == Line.class ? (Codec<T>) special : JacksonCodec.of(type);
            }
        };
        AggregateDefinition<Line> definition = JavaAggregates.define("cart", Line.class)
            .codecs(provider)
            .initial(id -> new Line("", 0, List.of(), Map.of()))
            .on(Line.class, "line_added", (s, e) -> e)
            .build();
        assertSame(special, definition.getEvents().byName("line_added").getCodec());
        assertSame(special, definition.getStateCodec());
    }
}
