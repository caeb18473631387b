package dev.estoria.eventstore

/**
 * An event store: reads and appends event streams. Optional capabilities are separate interfaces,
 * discovered with `is`: [GlobalReader] and [StreamDeleter].
 *
 * TCK: `EventStoreSuite`, plus `GlobalReaderSuite` and `StreamDeleterSuite` for the capabilities.
 */
public interface EventStore : StreamReader, StreamWriter
