package dev.fletcher.spi.warehouse;

import java.util.List;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.ipc.ArrowReader;
import org.apache.arrow.vector.types.pojo.Schema;

/**
 * One connection to a warehouse. Results stream: a reader returned by {@link #query} yields record batches
 * as the warehouse produces them, so a large result is never held whole in memory. Failures surface as
 * {@link dev.fletcher.spi.PluginException} carrying the warehouse's own message.
 */
public interface WarehouseSession extends AutoCloseable {
    /**
     * Makes rows (e.g. uploaded entity rows) queryable under {@code name} until {@link #dropTable} or close.
     * The reader is consumed; timestamp columns keep their Arrow type.
     */
    void registerTable(String name, ArrowReader rows);

    /** Creates (or replaces) a permanent table holding the rows; used to load data. */
    void createTable(String name, ArrowReader rows, boolean replace);

    void dropTable(String name);

    /** Whether a table or view of that name exists. */
    boolean tableExists(String name);

    /** Runs a query and streams its result. The caller closes the reader, which releases the statement. */
    ArrowReader query(Statement statement, BufferAllocator allocator);

    /** The schema a query would produce, without fetching its rows. */
    Schema describe(Statement statement, BufferAllocator allocator);

    /** Runs a statement that returns no rows; answers the update count, or -1 if none. */
    long execute(Statement statement);

    @Override
    void close();
}
