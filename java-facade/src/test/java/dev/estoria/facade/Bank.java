package dev.estoria.facade;

import dev.estoria.aggregate.AggregateDefinition;
import dev.estoria.java.JavaAggregates;

import java.util.List;

/** The test domain: records for state and events, defined with the Java builder. */
final class Bank {
    private Bank() {}

    record Account(String id, String owner, long balance) {
        Account deposit(long amount) { return new Account(id, owner, balance + amount); }
    }

    sealed interface AccountEvent permits Opened, Deposited, Withdrawn {}

    record Opened(String owner) implements AccountEvent {}

    record Deposited(long amount) implements AccountEvent {}

    record Withdrawn(long amount) implements AccountEvent {}

    static final class InsufficientFunds extends RuntimeException {
        InsufficientFunds(long balance, long amount) { super("balance " + balance + " < " + amount); }
    }

    static final AggregateDefinition<Account> ACCOUNT = JavaAggregates.define("account", Account.class)
        .initial(id -> new Account(id.toString(), "", 0))
        .on(Opened.class, "opened", (s, e) -> new Account(s.id(), e.owner(), s.balance()))
        .on(Deposited.class, "deposited", (s, e) -> s.deposit(e.amount()))
        .on(Withdrawn.class, "withdrawn", (s, e) -> s.deposit(-e.amount()))
        .build();

    static List<Object> withdraw(Account account, long amount) {
        if (account.balance() < amount) throw new InsufficientFunds(account.balance(), amount);
        return List.of(new Withdrawn(amount));
    }
}
