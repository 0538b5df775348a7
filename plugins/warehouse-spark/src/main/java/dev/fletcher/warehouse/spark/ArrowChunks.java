package dev.fletcher.warehouse.spark;

import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.VectorUnloader;
import org.apache.arrow.vector.ipc.ArrowReader;
import org.apache.arrow.vector.ipc.ArrowStreamWriter;
import org.apache.arrow.vector.ipc.WriteChannel;
import org.apache.arrow.vector.ipc.message.ArrowRecordBatch;
import org.apache.arrow.vector.ipc.message.IpcOption;
import org.apache.arrow.vector.ipc.message.MessageSerializer;
import org.apache.arrow.vector.types.pojo.Schema;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.channels.Channels;

/**
 * Cuts the rows of a reader into Arrow IPC streams (schema, batches, end marker) of at most about
 * {@code chunkBytes} each, reading the source batch by batch; a batch larger than a chunk is split by rows. Only one
 * chunk is held at a time.
 */
final class ArrowChunks {
    private final ArrowReader rows;
    private final int chunkBytes;
    private final Schema schema;
    private VectorSchemaRoot pendingRoot;
    private int pendingOffset;
    private boolean exhausted;
    private boolean anyChunk;

    ArrowChunks(ArrowReader rows, int chunkBytes) throws IOException {
        this.rows = rows;
        this.chunkBytes = chunkBytes;
        this.schema = rows.getVectorSchemaRoot().getSchema();
    }

    Schema schema() {
        return schema;
    }

    /** The next chunk, or null when every row has been sent (the first call always answers one, maybe empty). */
    byte[] next() throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        WriteChannel channel = new WriteChannel(Channels.newChannel(out));
        MessageSerializer.serialize(channel, schema);
        long start = out.size();
        boolean wroteRows = false;
        while (true) {
            if (pendingRoot == null || pendingOffset >= pendingRoot.getRowCount()) {
                if (exhausted || !rows.loadNextBatch()) {
                    exhausted = true;
                    break;
                }
                pendingRoot = rows.getVectorSchemaRoot();
                pendingOffset = 0;
                if (pendingRoot.getRowCount() == 0) {
                    continue;
                }
            }
            int remaining = pendingRoot.getRowCount() - pendingOffset;
            long bytes = bodyBytes(pendingRoot);
            long perRow = Math.max(1, bytes / Math.max(1, pendingRoot.getRowCount()));
            long room = chunkBytes - (out.size() - start);
            int take = (int) Math.min(remaining, Math.max(0, room / perRow));
            if (take == 0) {
                if (wroteRows) {
                    break;
                }
                take = 1;
            }
            if (pendingOffset == 0 && take == remaining) {
                write(channel, pendingRoot);
            } else {
                try (VectorSchemaRoot slice = pendingRoot.slice(pendingOffset, take)) {
                    write(channel, slice);
                }
            }
            pendingOffset += take;
            wroteRows = true;
        }
        if (!wroteRows && anyChunk) {
            return null;
        }
        anyChunk = true;
        ArrowStreamWriter.writeEndOfStream(channel, IpcOption.DEFAULT);
        return out.toByteArray();
    }

    /** Whether every row has been handed out. */
    boolean done() throws IOException {
        if (pendingRoot != null && pendingOffset < pendingRoot.getRowCount()) {
            return false;
        }
        if (exhausted) {
            return true;
        }
        while (rows.loadNextBatch()) {
            pendingRoot = rows.getVectorSchemaRoot();
            pendingOffset = 0;
            if (pendingRoot.getRowCount() > 0) {
                return false;
            }
        }
        exhausted = true;
        return true;
    }

    private static void write(WriteChannel channel, VectorSchemaRoot root) throws IOException {
        try (ArrowRecordBatch batch = new VectorUnloader(root).getRecordBatch()) {
            MessageSerializer.serialize(channel, batch);
        }
    }

    private static long bodyBytes(VectorSchemaRoot root) {
        try (ArrowRecordBatch batch = new VectorUnloader(root).getRecordBatch()) {
            return batch.computeBodyLength();
        }
    }
}
