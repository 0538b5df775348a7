package dev.fletcher.warehouse.spark;

import io.grpc.Context;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.VectorUnloader;
import org.apache.arrow.vector.ipc.ArrowReader;
import org.apache.arrow.vector.ipc.ArrowStreamReader;
import org.apache.arrow.vector.types.pojo.Schema;
import org.apache.spark.connect.proto.ExecutePlanResponse;

import java.io.IOException;
import java.util.Iterator;

/**
 * Streams the Arrow batches of one Spark Connect execution as they arrive: each response carries an Arrow IPC
 * stream of one or more batches, loaded into this reader's root one at a time (gRPC flow control holds the server
 * back meanwhile). Timestamps are retyped as {@code timestamp[us, UTC]}. Closing before the end cancels the call
 * and interrupts the operation on the server.
 */
final class ResultReader extends ArrowReader {
    private final SparkSession session;
    private final String operationId;
    private final Context.CancellableContext call;
    private final Iterator<ExecutePlanResponse> responses;
    private final Schema fallbackSchema;
    private ArrowStreamReader current;
    private long bytesRead;
    private boolean finished;

    ResultReader(BufferAllocator allocator, SparkSession session, String operationId, Context.CancellableContext call,
            Iterator<ExecutePlanResponse> responses, Schema fallbackSchema) {
        super(allocator);
        this.session = session;
        this.operationId = operationId;
        this.call = call;
        this.responses = responses;
        this.fallbackSchema = fallbackSchema;
    }

    @Override
    protected Schema readSchema() throws IOException {
        if (nextMessage()) {
            return SparkTypes.utcTimestamps(current.getVectorSchemaRoot().getSchema());
        }
        if (fallbackSchema != null) {
            return fallbackSchema;
        }
        throw session.failure("the result of the query carried no schema", null);
    }

    /** Moves to the next response with Arrow data; false at the end of the result. */
    private boolean nextMessage() throws IOException {
        closeCurrent();
        while (!finished) {
            ExecutePlanResponse response;
            try {
                if (!responses.hasNext()) {
                    finished = true;
                    break;
                }
                response = responses.next();
            } catch (RuntimeException e) {
                finished = true;
                throw session.error(e);
            }
            if (response.hasResultComplete()) {
                finished = true;
            } else if (response.hasArrowBatch()) {
                byte[] data = response.getArrowBatch().getData().toByteArray();
                bytesRead += data.length;
                current = new ArrowStreamReader(new java.io.ByteArrayInputStream(data), allocator);
                current.getVectorSchemaRoot();
                return true;
            }
        }
        return false;
    }

    @Override
    public boolean loadNextBatch() throws IOException {
        prepareLoadNextBatch();
        while (true) {
            if (current != null && current.loadNextBatch()) {
                VectorSchemaRoot from = current.getVectorSchemaRoot();
                if (from.getRowCount() == 0) {
                    continue;
                }
                // The buffers' layout is the same for a timestamp with or without a zone: the batch loads as is.
                loadRecordBatch(new VectorUnloader(from).getRecordBatch());
                return true;
            }
            if (!nextMessage()) {
                return false;
            }
        }
    }

    @Override
    public long bytesRead() {
        return bytesRead;
    }

    private void closeCurrent() throws IOException {
        if (current != null) {
            ArrowStreamReader closing = current;
            current = null;
            closing.close();
        }
    }

    @Override
    protected void closeReadSource() throws IOException {
        try {
            closeCurrent();
        } finally {
            if (!finished) {
                finished = true;
                call.cancel(null);
                session.interrupt(operationId);
            }
            call.close();
            session.released(this);
        }
    }
}
