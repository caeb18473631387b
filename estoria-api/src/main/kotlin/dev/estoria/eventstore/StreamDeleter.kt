package dev.estoria.eventstore

import dev.estoria.id.TypeId

/**
 * Optional capability: deletes or truncates streams.
 *
 * TCK: `StreamDeleterSuite`.
 */
public interface StreamDeleter {
    /**
     * With [toVersion] `null` (default): deletes [streamId]; reading it fails with
     * [dev.estoria.error.StreamNotFoundException] and the id can be written again from version 1.
     *
     * With [toVersion] (>= 1): truncates, removing the events at versions `<= toVersion`; later events
     * keep their versions and the next append continues after the last version.
     *
     * @throws dev.estoria.error.StreamNotFoundException when the stream does not exist.
     */
    public suspend fun delete(streamId: TypeId, toVersion: Long? = null)
}
