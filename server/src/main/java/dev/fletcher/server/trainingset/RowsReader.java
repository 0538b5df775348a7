package dev.fletcher.server.trainingset;

import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.ipc.ArrowReader;
import org.apache.arrow.vector.types.pojo.Schema;

/** Hands rows already in memory (one batch, or none: only a schema) to whatever reads an {@link ArrowReader}. */
public final class RowsReader extends ArrowReader {
    private final Schema schema;
    private VectorSchemaRoot rows;

    /** Takes ownership of {@code rows} (null for no rows at all). */
    public RowsReader(BufferAllocator allocator, Schema schema, VectorSchemaRoot rows) {
        super(allocator);
        this.schema = schema;
        this.rows = rows;
    }

    @Override
    public boolean loadNextBatch() throws java.io.IOException {
        VectorSchemaRoot target = getVectorSchemaRoot();
        if (rows == null) {
            target.setRowCount(0);
            return false;
        }
        for (int i = 0; i < rows.getFieldVectors().size(); i++) {
            rows.getVector(i).makeTransferPair(target.getVector(i)).transfer();
        }
        target.setRowCount(rows.getRowCount());
        rows.close();
        rows = null;
        return true;
    }

    @Override
    public long bytesRead() {
        return 0;
    }

    @Override
    protected void closeReadSource() {
        if (rows != null) {
            rows.close();
            rows = null;
        }
    }

    @Override
    protected Schema readSchema() {
        return schema;
    }
}
