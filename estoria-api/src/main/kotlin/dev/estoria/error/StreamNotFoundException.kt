package dev.estoria.error

import dev.estoria.id.TypeId

/** The stream [streamId] was never written (or was deleted). Reading an existing stream past its end is empty instead. */
public class StreamNotFoundException(public val streamId: TypeId, cause: Throwable? = null) :
    EstoriaException("stream $streamId not found", cause)
