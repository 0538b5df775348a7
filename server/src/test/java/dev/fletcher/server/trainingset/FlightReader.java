package dev.fletcher.server.trainingset;

import org.apache.arrow.flight.FlightStream;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.ipc.ArrowReader;
import org.apache.arrow.vector.types.pojo.Schema;

/** A test's view of a DoGet stream as an ArrowReader (the stream itself is closed by the test). */
final class FlightReader extends ArrowReader {
    private final FlightStream stream;

    FlightReader(BufferAllocator allocator, FlightStream stream) {
        super(allocator);
        this.stream = stream;
    }

    @Override
    public boolean loadNextBatch() throws java.io.IOException {
        if (!stream.next()) {
            return false;
        }
        for (int i = 0; i < stream.getRoot().getFieldVectors().size(); i++) {
            stream.getRoot().getVector(i).makeTransferPair(getVectorSchemaRoot().getVector(i)).transfer();
        }
        getVectorSchemaRoot().setRowCount(stream.getRoot().getRowCount());
        return true;
    }

    @Override
    public long bytesRead() {
        return 0;
    }

    @Override
    protected void closeReadSource() {
    }

    @Override
    protected Schema readSchema() {
        return stream.getSchema();
    }
}
