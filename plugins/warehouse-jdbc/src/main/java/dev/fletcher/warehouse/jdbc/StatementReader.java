package dev.fletcher.warehouse.jdbc;

import java.io.IOException;
import java.util.function.Function;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.ipc.ArrowReader;
import org.apache.arrow.vector.types.TimeUnit;
import org.apache.arrow.vector.types.pojo.ArrowType;

/**
 * The Arrow result of one running statement. Closing it releases the statement exactly once, after the source it
 * reads from, and a failure while reading is reported as the session's own error.
 */
public abstract class StatementReader extends ArrowReader {
    /** The type of every timestamp column in a result (see {@link dev.fletcher.spi.warehouse.WarehouseSession}). */
    public static final ArrowType UTC_MICROS = new ArrowType.Timestamp(TimeUnit.MICROSECOND, "UTC");

    private final AutoCloseable release;
    private final Function<Exception, RuntimeException> errors;
    private boolean closed;

    /**
     * @param release closes the statement and tells the session the reader is done
     * @param errors turns a failure into the session's error
     */
    protected StatementReader(BufferAllocator allocator, AutoCloseable release,
            Function<Exception, RuntimeException> errors) {
        super(allocator);
        this.release = release;
        this.errors = errors;
    }

    protected final RuntimeException error(Exception e) {
        return errors.apply(e);
    }

    /** Closes what the batches come from; the statement is released afterwards even if this fails. */
    protected abstract void closeSource() throws Exception;

    @Override
    protected final void closeReadSource() throws IOException {
        if (closed) {
            return;
        }
        closed = true;
        try (AutoCloseable last = release) {
            closeSource();
        } catch (IOException | RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw new IOException(e);
        }
    }
}
