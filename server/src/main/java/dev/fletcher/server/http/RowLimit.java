package dev.fletcher.server.http;

import dev.fletcher.server.problem.Reason;
import dev.fletcher.server.problem.RequestException;
import dev.fletcher.server.problem.Subject;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayDeque;
import java.util.Deque;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.VectorLoader;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.VectorUnloader;
import org.apache.arrow.vector.ipc.ArrowReader;
import org.apache.arrow.vector.ipc.message.ArrowRecordBatch;
import org.apache.arrow.vector.types.pojo.Schema;

/**
 * The most rows a REST answer may hold ({@code fletcher.rest.max-rows}, default 100000). The answer is read ahead
 * (and held in the call's memory) before it starts, so that one past the limit, or a query failing while it is read,
 * is refused with a problem answer rather than cut off mid-stream. Arrow Flight streams are not limited and never held.
 */
public final class RowLimit {
    public static final String KEY = "fletcher.rest.max-rows";
    public static final String DEFAULT = "100000";

    private RowLimit() {
    }

    /**
     * The same rows, read ahead and held until the answer is written.
     *
     * @throws RequestException ({@link Reason#TOO_MANY_ROWS}) when there are more than {@code maxRows}; the reader
     *     is closed then
     */
    public static ArrowReader check(ArrowReader rows, long maxRows, Subject subject) {
        Deque<ArrowRecordBatch> ahead = new ArrayDeque<>();
        try {
            VectorSchemaRoot root = rows.getVectorSchemaRoot();
            if (root.getFieldVectors().isEmpty()) {
                return rows;
            }
            long count = 0;
            while (rows.loadNextBatch()) {
                count += root.getRowCount();
                if (count > maxRows) {
                    throw new RequestException(Reason.TOO_MANY_ROWS, subject, "the answer has more than " + maxRows
                            + " rows, the most a REST answer may hold (" + KEY + "); ask for fewer (a limit, a"
                            + " narrower time range or filter), or read it over Arrow Flight, which is not limited");
                }
                ahead.add(new VectorUnloader(root).getRecordBatch());
            }
            return new Replay(root.getFieldVectors().get(0).getAllocator(), root.getSchema(), ahead, rows);
        } catch (IOException e) {
            closeAll(ahead, rows);
            throw new UncheckedIOException("reading the warehouse's answer failed: " + e.getMessage(), e);
        } catch (RuntimeException e) {
            closeAll(ahead, rows);
            throw e;
        }
    }

    private static void closeAll(Deque<ArrowRecordBatch> ahead, ArrowReader rows) {
        ahead.forEach(ArrowRecordBatch::close);
        ahead.clear();
        try {
            rows.close();
        } catch (IOException | RuntimeException ignored) {
            // the refusal is what the caller reports
        }
    }

    /** Yields the batches read ahead; closing it closes the reader they came from. */
    private static final class Replay extends ArrowReader {
        private final Schema schema;
        private final Deque<ArrowRecordBatch> batches;
        private final ArrowReader source;

        Replay(BufferAllocator allocator, Schema schema, Deque<ArrowRecordBatch> batches, ArrowReader source) {
            super(allocator);
            this.schema = schema;
            this.batches = batches;
            this.source = source;
        }

        @Override
        public boolean loadNextBatch() throws IOException {
            prepareLoadNextBatch();
            ArrowRecordBatch batch = batches.poll();
            if (batch == null) {
                return false;
            }
            try (batch) {
                new VectorLoader(getVectorSchemaRoot()).load(batch);
            }
            return true;
        }

        @Override
        public long bytesRead() {
            return 0;
        }

        @Override
        protected void closeReadSource() throws IOException {
            batches.forEach(ArrowRecordBatch::close);
            batches.clear();
            source.close();
        }

        @Override
        protected Schema readSchema() {
            return schema;
        }
    }
}
