package dev.estoria.jdbc

import dev.estoria.error.DuplicateEventException
import dev.estoria.error.StreamVersionConflictException
import dev.estoria.event.ExpectedVersion
import dev.estoria.id.TypeId
import dev.estoria.testkit.Tck
import kotlinx.coroutines.runBlocking
import org.junit.jupiter.api.Test
import java.lang.reflect.InvocationHandler
import java.lang.reflect.InvocationTargetException
import java.lang.reflect.Proxy
import java.sql.Connection
import java.util.concurrent.atomic.AtomicInteger
import javax.sql.DataSource
import kotlin.test.assertEquals
import kotlin.test.assertFailsWith

/**
 * A plain version conflict costs one round trip on PostgreSQL: the append statement itself returns the
 * stream's version when its compare-and-set fails and none of the batch's ids is stored, so writers racing on
 * one stream (`Exact` + retry, where most attempts conflict) spend no extra look-ups on the common refusal.
 * Idempotent retries and reused ids, which need the stored events, still take their look-ups.
 */
class PostgresConflictRoundTripTest {
    private val statements = AtomicInteger()
    private val store = PostgresEventStore.create(counting(TestDatabases.postgres()))

    private suspend fun <T> counted(block: suspend () -> T): Pair<T, Int> {
        statements.set(0)
        val result = block()
        return result to statements.get()
    }

    @Test
    fun `a stale Exact append is refused by its one statement with the stream's version`(): Unit = runBlocking {
        val id = TypeId.new("rt")
        store.appendStream(id, Tck.events(3), ExpectedVersion.NoStream)
        val (e, count) = counted { assertFailsWith<StreamVersionConflictException> { store.appendStream(id, Tck.events(1), ExpectedVersion.Exact(1)) } }
        assertEquals(3, e.actual)
        assertEquals(1, count, "statements for a plain conflict")
    }

    @Test
    fun `NoStream on an existing stream and StreamExists on a missing one are refused by one statement`(): Unit = runBlocking {
        val id = TypeId.new("rt")
        store.appendStream(id, Tck.events(2), ExpectedVersion.Any)
        val (e, count) = counted { assertFailsWith<StreamVersionConflictException> { store.appendStream(id, Tck.events(2), ExpectedVersion.NoStream) } }
        assertEquals(2, e.actual)
        assertEquals(1, count)
        val missing = TypeId.new("rt")
        val (e2, count2) = counted { assertFailsWith<StreamVersionConflictException> { store.appendStream(missing, Tck.events(1), ExpectedVersion.StreamExists) } }
        assertEquals(0, e2.actual)
        assertEquals(1, count2)
    }

    @Test
    fun `a retried append is still recognised as idempotent and a reused id as a duplicate`(): Unit = runBlocking {
        val id = TypeId.new("rt")
        val batch = Tck.events(2)
        val first = store.appendStream(id, batch, ExpectedVersion.NoStream)
        store.appendStream(id, Tck.events(1), ExpectedVersion.Exact(2))
        val retried = store.appendStream(id, batch, ExpectedVersion.NoStream)
        assertEquals(first.events.map { it.globalPosition }, retried.events.map { it.globalPosition })
        assertEquals(2, retried.nextExpectedVersion)
        val other = TypeId.new("rt")
        store.appendStream(other, Tck.events(1), ExpectedVersion.NoStream)
        val reused = listOf(Tck.events(1).single(), batch[1])
        assertFailsWith<DuplicateEventException> { store.appendStream(other, reused, ExpectedVersion.Exact(5)) }
    }

    /** [inner] with every statement prepared or created on its connections counted. */
    private fun counting(inner: DataSource): DataSource {
        fun connection(c: Connection): Connection = proxy(c) { name -> if (name.startsWith("prepare") || name == "createStatement") statements.incrementAndGet() }
        return Proxy.newProxyInstance(javaClass.classLoader, arrayOf(DataSource::class.java), InvocationHandler { _, m, args ->
            val result = invoke(inner, m, args)
            if (m.name == "getConnection") connection(result as Connection) else result
        }) as DataSource
    }

    private inline fun <reified T : Any> proxy(target: T, crossinline seen: (String) -> Unit): T =
        Proxy.newProxyInstance(javaClass.classLoader, arrayOf(T::class.java), InvocationHandler { _, m, args ->
            seen(m.name)
            invoke(target, m, args)
        }) as T

    private fun invoke(target: Any, m: java.lang.reflect.Method, args: Array<Any?>?): Any? =
        try {
            m.invoke(target, *(args ?: emptyArray()))
        } catch (e: InvocationTargetException) {
            throw e.targetException
        }
}
