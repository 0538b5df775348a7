package dev.fletcher.analysis.cuped;

import dev.fletcher.spi.warehouse.Capabilities;
import dev.fletcher.spi.warehouse.Dialect;
import dev.fletcher.spi.warehouse.Statement;
import dev.fletcher.spi.warehouse.Warehouse;
import dev.fletcher.spi.warehouse.WarehouseSession;
import java.io.IOException;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.ipc.ArrowReader;
import org.apache.arrow.vector.types.pojo.Schema;

/**
 * A warehouse that fails any result with more rows than {@code maxRows} (the number of variants): proof that no
 * subject-level row leaves the warehouse. Optionally declares smaller limits than the real one.
 */
final class RowLimitWarehouse implements Warehouse {
    private final Warehouse delegate;
    private final int maxRows;
    private final Capabilities capabilities;
    final AtomicInteger queries = new AtomicInteger();
    final AtomicInteger mostRows = new AtomicInteger();
    /** The text of every statement run without a result (creating and filling tables). */
    final List<String> executed = new CopyOnWriteArrayList<>();
    /** Every table dropped, and whether it existed just before. */
    final java.util.Map<String, Boolean> dropped = new java.util.concurrent.ConcurrentHashMap<>();

    RowLimitWarehouse(Warehouse delegate, int maxRows, Capabilities capabilities) {
        this.delegate = delegate;
        this.maxRows = maxRows;
        this.capabilities = capabilities == null ? delegate.capabilities() : capabilities;
    }

    @Override
    public String instanceName() {
        return delegate.instanceName();
    }

    @Override
    public Dialect dialect() {
        return delegate.dialect();
    }

    @Override
    public Capabilities capabilities() {
        return capabilities;
    }

    @Override
    public WarehouseSession openSession() {
        WarehouseSession session = delegate.openSession();
        return new WarehouseSession() {
            @Override
            public void registerTable(String name, ArrowReader rows) {
                session.registerTable(name, rows);
            }

            @Override
            public void createTable(String name, ArrowReader rows, boolean replace) {
                session.createTable(name, rows, replace);
            }

            @Override
            public void dropTable(String name) {
                dropped.put(name, session.tableExists(name));
                session.dropTable(name);
            }

            @Override
            public boolean tableExists(String name) {
                return session.tableExists(name);
            }

            @Override
            public ArrowReader query(Statement statement, BufferAllocator allocator) {
                queries.incrementAndGet();
                return new Counting(session.query(statement, allocator), allocator);
            }

            @Override
            public Schema describe(Statement statement, BufferAllocator allocator) {
                return session.describe(statement, allocator);
            }

            @Override
            public long execute(Statement statement) {
                executed.add(statement.sql());
                return session.execute(statement);
            }

            @Override
            public void close() {
                session.close();
            }
        };
    }

    @Override
    public void close() {
        delegate.close();
    }

    private final class Counting extends ArrowReader {
        private final ArrowReader reader;
        private int rows;

        Counting(ArrowReader reader, BufferAllocator allocator) {
            super(allocator);
            this.reader = reader;
        }

        @Override
        public boolean loadNextBatch() throws IOException {
            boolean more = reader.loadNextBatch();
            if (more) {
                rows += reader.getVectorSchemaRoot().getRowCount();
                mostRows.accumulateAndGet(rows, Math::max);
                if (rows > maxRows) {
                    throw new IllegalStateException("a result carried " + rows + " rows, more than " + maxRows
                            + ": subject-level rows are leaving the warehouse");
                }
            }
            return more;
        }

        @Override
        public VectorSchemaRoot getVectorSchemaRoot() throws IOException {
            return reader.getVectorSchemaRoot();
        }

        @Override
        public long bytesRead() {
            return reader.bytesRead();
        }

        @Override
        protected void closeReadSource() throws IOException {
            reader.close();
        }

        @Override
        protected Schema readSchema() throws IOException {
            return reader.getVectorSchemaRoot().getSchema();
        }
    }
}
