package dev.fletcher.engine.sql;

import java.io.IOException;
import java.util.Map;
import java.util.Set;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.dictionary.Dictionary;
import org.apache.arrow.vector.ipc.ArrowReader;
import org.apache.arrow.vector.types.pojo.Schema;

/** Streams another reader's batches as they are, and runs a cleanup step once that reader is closed. */
final class CleanupReader extends ArrowReader {
    private final ArrowReader rows;
    private final Runnable cleanup;
    private boolean closed;

    CleanupReader(BufferAllocator allocator, ArrowReader rows, Runnable cleanup) {
        super(allocator);
        this.rows = rows;
        this.cleanup = cleanup;
    }

    @Override
    public VectorSchemaRoot getVectorSchemaRoot() throws IOException {
        return rows.getVectorSchemaRoot();
    }

    @Override
    public Map<Long, Dictionary> getDictionaryVectors() throws IOException {
        return rows.getDictionaryVectors();
    }

    @Override
    public Dictionary lookup(long id) {
        return rows.lookup(id);
    }

    @Override
    public Set<Long> getDictionaryIds() {
        return rows.getDictionaryIds();
    }

    @Override
    public boolean loadNextBatch() throws IOException {
        return rows.loadNextBatch();
    }

    @Override
    public long bytesRead() {
        return rows.bytesRead();
    }

    @Override
    public void close() throws IOException {
        close(true);
    }

    @Override
    public void close(boolean closeReadSource) throws IOException {
        if (closed) {
            return;
        }
        closed = true;
        try {
            rows.close(closeReadSource);
        } finally {
            cleanup.run();
        }
    }

    @Override
    protected void closeReadSource() {
        // The wrapped reader closes its own source.
    }

    @Override
    protected Schema readSchema() throws IOException {
        return rows.getVectorSchemaRoot().getSchema();
    }
}
