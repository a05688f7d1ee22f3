package dev.sparkgateway.statement;

import com.google.protobuf.ByteString;

import java.io.IOException;
import java.io.OutputStream;
import java.util.UUID;

/**
 * Where spooled result chunks live, by statement and index: files under the spool directory
 * ({@link Spool}) today; an object store could be another. A chunk is written once and becomes
 * visible whole, at {@link Output#commit}, so a replica reading a shared storage never sees half
 * of one.
 */
interface ChunkStorage {

    /** A chunk being written. */
    interface Output extends AutoCloseable {

        OutputStream stream();

        /** Makes the chunk visible to readers; returns its size in bytes. */
        long commit() throws IOException;

        /** Drops the chunk unless committed. */
        @Override
        void close() throws IOException;
    }

    /** Starts writing chunk {@code index} of {@code statement}. */
    Output create(UUID statement, int index) throws IOException;

    /** A committed chunk's bytes; a file is memory-mapped, not read into the heap. */
    ByteString read(UUID statement, int index) throws IOException;

    /** Deletes a statement's chunks. */
    void delete(UUID statement);
}
