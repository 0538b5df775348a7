package dev.fletcher.sdk;

import java.io.IOException;
import org.apache.arrow.flight.FlightRuntimeException;
import org.apache.arrow.flight.FlightStream;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.ipc.ArrowReader;
import org.apache.arrow.vector.types.pojo.Schema;

/** A Flight DoGet stream read as an {@link ArrowReader}; closing it ends (and if unfinished, cancels) the stream. */
final class FlightStreamReader extends ArrowReader {
    private final FlightStream stream;

    FlightStreamReader(BufferAllocator allocator, FlightStream stream) {
        super(allocator);
        this.stream = stream;
    }

    @Override
    public boolean loadNextBatch() throws IOException {
        VectorSchemaRoot target = getVectorSchemaRoot();
        boolean more;
        try {
            more = stream.next();
        } catch (FlightRuntimeException e) {
            throw FlightTrainingSets.error(e);
        }
        if (!more) {
            target.setRowCount(0);
            return false;
        }
        VectorSchemaRoot source = stream.getRoot();
        for (int i = 0; i < source.getFieldVectors().size(); i++) {
            source.getVector(i).makeTransferPair(target.getVector(i)).transfer();
        }
        target.setRowCount(source.getRowCount());
        return true;
    }

    @Override
    public long bytesRead() {
        return 0;
    }

    @Override
    protected void closeReadSource() throws IOException {
        try {
            stream.close();
        } catch (FlightRuntimeException e) {
            throw FlightTrainingSets.error(e);
        } catch (Exception e) {
            throw new IOException("closing the training-set stream failed: " + e.getMessage(), e);
        }
    }

    @Override
    protected Schema readSchema() {
        try {
            return stream.getSchema();
        } catch (FlightRuntimeException e) {
            throw FlightTrainingSets.error(e);
        }
    }
}
