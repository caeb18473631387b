package dev.estoria.facade;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonProperty;
import dev.estoria.aggregate.AggregateDefinition;
import dev.estoria.codec.Codec;
import dev.estoria.error.InvalidInputException;
import dev.estoria.java.JacksonCodec;
import dev.estoria.java.JavaAggregates;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * An event class Jackson can write but never read back (immutable, all-args constructor, no creator)
 * is refused when the Java definition is built, with a message that says what to add: accepted, it
 * would be saved and the aggregate could never load again.
 */
class UnreadableEventTest {
    record Cart(int items) {}

    /** Immutable, one all-args constructor, no annotation: Jackson writes its getters but cannot create it. */
    static final class ItemAdded {
        private final String sku;
        private final int quantity;

        ItemAdded(String sku, int quantity) {
            this.sku = sku;
            this.quantity = quantity;
        }

        public String getSku() { return sku; }
        public int getQuantity() { return quantity; }
    }

    /** The same class made readable with a creator. */
    static final class ItemRemoved {
        private final String sku;

        @JsonCreator
        ItemRemoved(@JsonProperty("sku") String sku) { this.sku = sku; }

        public String getSku() { return sku; }
    }

    record CartCleared(String reason) {}

    private static JavaAggregates.Builder<Cart> cart() {
        return JavaAggregates.define("cart", Cart.class).initial(id -> new Cart(0));
    }

    @Test
    void anEventClassJacksonCannotReadBackIsRefusedWhenTheDefinitionIsBuiltSayingWhatToAdd() {
        Codec<ItemAdded> codec = JacksonCodec.of(ItemAdded.class);
        byte[] written = codec.encode(new ItemAdded("apple", 2));
        assertThrows(Exception.class, () -> codec.decode(written), "the premise: Jackson writes it but cannot read it");

        InvalidInputException e = assertThrows(InvalidInputException.class, () ->
            cart().on(ItemAdded.class, "item_added", (s, ev) -> new Cart(s.items() + ev.getQuantity())).build());
        String message = e.getMessage();
        assertTrue(message.contains("cart") && message.contains(ItemAdded.class.getName()) && message.contains("item_added"), message);
        assertTrue(message.contains("no-argument constructor") && message.contains("@JsonCreator") && message.contains("record"), message);

        assertThrows(InvalidInputException.class, () ->
            cart().on(ItemAdded.class, "item_added", codec, (s, ev) -> s).build(), "an explicit Jackson codec is checked too");
    }

    @Test
    void eventClassesWithACreatorANoArgumentConstructorOrARecordAreAccepted() {
        AggregateDefinition<Cart> definition = cart()
            .on(ItemRemoved.class, "item_removed", (s, ev) -> new Cart(s.items() - 1))
            .on(CartCleared.class, "cart_cleared", (s, ev) -> new Cart(0))
            .on(Bank.Deposited.class, "deposited", (s, ev) -> s)
            .build();
        assertNotNull(definition);
        Codec<ItemRemoved> codec = JacksonCodec.of(ItemRemoved.class);
        assertEquals("apple", codec.decode(codec.encode(new ItemRemoved("apple"))).getSku());
    }
}
