// Shown in docs/testing.md from its imports on (CompiledDocSnippetsTest checks it).
package dev.estoria.examples.snippets

import dev.estoria.eventstore.EventStore
import dev.estoria.eventstore.memory.InMemoryEventStore
import dev.estoria.testkit.eventstore.EventStoreSuite
import dev.estoria.testkit.eventstore.GlobalReaderSuite

// One store for every clause: clauses use fresh stream ids, so fixtures may share a store (and a server).
private val store = InMemoryEventStore()                       // your backend's store here

class MyEventStoreTest : EventStoreSuite() {
    override fun eventStore(): EventStore = store
}

// suites of a capability are typed by it: a store without it does not compile against the suite
class MyGlobalReaderTest : GlobalReaderSuite<InMemoryEventStore>() {
    override fun eventStore(): InMemoryEventStore = store
}
