package dev.estoria.mongo.internal

import com.mongodb.ErrorCategory
import com.mongodb.MongoException
import com.mongodb.MongoSocketException
import com.mongodb.MongoWriteException
import dev.estoria.error.AppendOutcomeUnknownException
import dev.estoria.error.EstoriaException
import dev.estoria.error.StoreException
import dev.estoria.id.TypeId
import kotlinx.coroutines.CancellationException

/** Translates driver failures into Estoria's typed errors, keeping the driver exception as the cause. */
internal object MongoErrors {
    /** Whether [e] is a unique-index violation (code 11000); which index is found by querying, never from the message. */
    fun isDuplicateKey(e: Throwable): Boolean =
        e is MongoWriteException && e.error.category == ErrorCategory.DUPLICATE_KEY

    /** Runs a store operation, translating driver failures; typed errors and cancellation pass through. */
    suspend inline fun <T> run(operation: String, streamId: TypeId?, block: suspend () -> T): T =
        try {
            block()
        } catch (e: CancellationException) {
            throw e
        } catch (e: EstoriaException) {
            throw e
        } catch (e: MongoException) {
            throw StoreException(operation, streamId, e)
        }

    /**
     * The failure of a batch insert that was not a unique-index violation: a lost connection
     * (a socket error after sending) leaves the outcome unknown (the document may be stored), anything else is a [StoreException].
     */
    fun insertFailure(streamId: TypeId, e: MongoException): StoreException =
        if (isOutcomeUnknown(e)) AppendOutcomeUnknownException(streamId, e) else StoreException("append", streamId, e)

    /** A connection lost (or a socket timeout) after the request may have reached the server. */
    fun isOutcomeUnknown(e: MongoException): Boolean = e is MongoSocketException
}
