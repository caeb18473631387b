package dev.estoria.facade;

import dev.estoria.testkit.fixture.AggregateFixture;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** The given/when/then fixture from Java, on the Java-defined test domain (records, Jackson codecs). */
class AggregateFixtureJavaTest {
    private final AggregateFixture<Bank.Account> fixture = AggregateFixture.of(Bank.ACCOUNT);

    @Test
    void givenEventsWhenACommandThenItsEventsAndState() {
        fixture.given(new Bank.Opened("Ada"), new Bank.Deposited(100))
            .when(state -> Bank.withdraw(state, 30))
            .thenEvents(new Bank.Withdrawn(30))
            .thenState(state -> assertEquals(70, state.balance()));
    }

    @Test
    void aRefusedCommandIsCheckedByType() {
        Bank.InsufficientFunds error = fixture.given(new Bank.Opened("Ada"))
            .when(state -> Bank.withdraw(state, 1))
            .thenThrows(Bank.InsufficientFunds.class);
        assertEquals("balance 0 < 1", error.getMessage());
        assertThrows(AssertionError.class, () -> fixture.given().when(state -> List.of()).thenEvents(new Bank.Deposited(1)));
    }
}
