package dev.estoria.mongo.internal

import dev.estoria.id.TypeId

/**
 * A test seam inside the append path: module tests stall a writer between reserving its positions and
 * inserting its document (a latch), or make it "die" there (throw), to drive hole markers
 * deterministically. Production stores use [NONE].
 */
internal fun interface AppendProbe {
    /** Called after [streamId]'s writer reserved positions from [firstPosition], before its insert. */
    suspend fun reserved(streamId: TypeId, firstPosition: Long)

    companion object {
        val NONE: AppendProbe = AppendProbe { _, _ -> }
    }
}
