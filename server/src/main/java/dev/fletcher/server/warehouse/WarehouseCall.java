package dev.fletcher.server.warehouse;

import dev.fletcher.engine.plan.PlanException;
import dev.fletcher.server.problem.Reason;
import dev.fletcher.server.problem.RequestException;
import dev.fletcher.server.problem.Subject;
import dev.fletcher.spi.NotSupportedException;
import dev.fletcher.spi.PluginException;
import dev.fletcher.spi.warehouse.Dialect;
import dev.fletcher.spi.warehouse.StatementTimeoutException;
import dev.fletcher.spi.warehouse.Warehouse;
import dev.fletcher.spi.warehouse.WarehouseSession;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.function.Function;
import org.apache.arrow.memory.BufferAllocator;

/**
 * One call on a warehouse: a session on the instance and a child allocator named for the call, closed together
 * (the session first, since its readers hold the allocator's memory), and the one place that says what a failure
 * inside means to the user who asked. Made by {@link Warehouses#call}.
 */
public final class WarehouseCall implements AutoCloseable {
    /** Work on the call that may read the warehouse's Arrow answer. */
    @FunctionalInterface
    public interface Work<T> {
        T run(WarehouseCall call) throws IOException;
    }

    private final Warehouse warehouse;
    private final BufferAllocator allocator;
    private final WarehouseSession session;
    private final Subject subject;
    private final String usersSql;

    WarehouseCall(Warehouse warehouse, BufferAllocator allocator, WarehouseSession session, Subject subject,
            String usersSql) {
        this.warehouse = warehouse;
        this.allocator = allocator;
        this.session = session;
        this.subject = subject;
        this.usersSql = usersSql;
    }

    public Warehouse warehouse() {
        return warehouse;
    }

    public Dialect dialect() {
        return warehouse.dialect();
    }

    public WarehouseSession session() {
        return session;
    }

    /** The call's memory: every vector the warehouse answers belongs to it. */
    public BufferAllocator allocator() {
        return allocator;
    }

    /** Runs work in the call; a failure comes out as the refusal it stands for. */
    public <T> T run(Work<T> work) {
        try {
            return work.run(this);
        } catch (IOException e) {
            throw new UncheckedIOException("reading the warehouse's answer failed: " + e.getMessage(), e);
        } catch (RuntimeException e) {
            throw refusal(e);
        }
    }

    /**
     * Builds what takes the call over (and closes it later) from the call; when building fails the call is closed
     * here, and the failure comes out as the refusal it stands for.
     */
    public <T> T handOver(Function<WarehouseCall, T> owner) {
        try {
            return owner.apply(this);
        } catch (RuntimeException e) {
            try {
                close();
            } catch (RuntimeException suppressed) {
                e.addSuppressed(suppressed);
            }
            throw refusal(e);
        }
    }

    private RuntimeException refusal(RuntimeException e) {
        return refusal(e, warehouse.instanceName(), subject, usersSql);
    }

    /**
     * What a failure on a warehouse means to the user: the request's own mistake (a plan that cannot be made, a
     * capability the warehouse lacks, SQL of the user's own that the warehouse rejects) or the warehouse's failure.
     */
    static RuntimeException refusal(RuntimeException e, String instance, Subject subject, String usersSql) {
        if (e instanceof RequestException) {
            return e;
        }
        if (e instanceof NotSupportedException refused) {
            NotSupportedException named = refused.instance() == null ? refused.in(instance) : refused;
            return new RequestException(Reason.NOT_SUPPORTED, subject, named.getMessage(), named);
        }
        if (e instanceof PlanException) {
            return new RequestException(Reason.INVALID_REQUEST, subject, e.getMessage(), e);
        }
        if (e instanceof StatementTimeoutException) {
            return new RequestException(Reason.STATEMENT_TIMEOUT, subject, e.getMessage(), e);
        }
        if (e instanceof PluginException) {
            return usersSql != null
                    ? new RequestException(Reason.INVALID_REQUEST, subject, "the " + subject + " failed in the"
                            + " warehouse (check " + usersSql + "): " + WarehouseMessages.withoutValues(e.getMessage()), e)
                    : new RequestException(Reason.WAREHOUSE_FAILED, subject, "the warehouse failed: "
                            + WarehouseMessages.withoutValues(e.getMessage()), e);
        }
        return e;
    }

    /** Ends the session, then frees the call's memory. */
    @Override
    public void close() {
        try {
            session.close();
        } finally {
            allocator.close();
        }
    }
}
