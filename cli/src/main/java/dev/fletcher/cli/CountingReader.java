package dev.fletcher.cli;

import java.io.IOException;
import java.util.Map;
import java.util.Set;
import java.util.function.LongConsumer;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.dictionary.Dictionary;
import org.apache.arrow.vector.ipc.ArrowReader;
import org.apache.arrow.vector.types.pojo.Schema;

/** Passes another reader's batches on unchanged, telling {@code rows} the running row count after each. */
final class CountingReader extends ArrowReader {
    private final ArrowReader source;
    private final LongConsumer rows;
    private long count;
    private boolean closed;

    CountingReader(ArrowReader source, LongConsumer rows) throws IOException {
        super(source.getVectorSchemaRoot().getFieldVectors().isEmpty() ? null
                : source.getVectorSchemaRoot().getFieldVectors().get(0).getAllocator());
        this.source = source;
        this.rows = rows;
    }

    long count() {
        return count;
    }

    @Override
    public VectorSchemaRoot getVectorSchemaRoot() throws IOException {
        return source.getVectorSchemaRoot();
    }

    @Override
    public Map<Long, Dictionary> getDictionaryVectors() throws IOException {
        return source.getDictionaryVectors();
    }

    @Override
    public Dictionary lookup(long id) {
        return source.lookup(id);
    }

    @Override
    public Set<Long> getDictionaryIds() {
        return source.getDictionaryIds();
    }

    @Override
    public boolean loadNextBatch() throws IOException {
        boolean more = source.loadNextBatch();
        if (more) {
            count += source.getVectorSchemaRoot().getRowCount();
            rows.accept(count);
        }
        return more;
    }

    @Override
    public long bytesRead() {
        return source.bytesRead();
    }

    @Override
    protected void closeReadSource() throws IOException {
        // Closed twice when a C stream owned it first (Parquet): the second time is a no-op.
        if (!closed) {
            closed = true;
            source.close();
        }
    }

    @Override
    protected Schema readSchema() throws IOException {
        return source.getVectorSchemaRoot().getSchema();
    }
}
