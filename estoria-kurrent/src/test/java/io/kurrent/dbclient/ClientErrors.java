package io.kurrent.dbclient;

/**
 * The client's exceptions have package-private constructors; the fake client of the store's tests throws
 * the very same types the real client throws, built here in the client's package.
 */
public final class ClientErrors {
    private ClientErrors() {}

    public static WrongExpectedVersionException wrongExpectedVersion(String stream, StreamState expected, StreamState actual) {
        return new WrongExpectedVersionException(stream, expected, actual);
    }

    public static StreamNotFoundException streamNotFound(String stream) {
        return new StreamNotFoundException(stream);
    }

    public static StreamDeletedException streamDeleted(String stream) {
        return new StreamDeletedException(stream);
    }

    public static NotLeaderException notLeader() {
        return new NotLeaderException("127.0.0.1", 2114);
    }
}
