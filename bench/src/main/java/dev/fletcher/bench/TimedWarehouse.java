package dev.fletcher.bench;

import dev.fletcher.spi.warehouse.Dialect;
import dev.fletcher.spi.warehouse.Statement;
import dev.fletcher.spi.warehouse.Warehouse;
import dev.fletcher.spi.warehouse.WarehouseSession;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.ipc.ArrowReader;
import org.apache.arrow.vector.types.pojo.Schema;

/**
 * A warehouse that times each session from its opening to its closing, with what it ran: where an analysis spends
 * its wall time, statement by statement.
 */
final class TimedWarehouse implements Warehouse {
    /** One session: when it opened and closed (ms from {@link #reset}) and the statements it ran. */
    record Span(double openedMs, double closedMs, String what) {
    }

    private final Warehouse delegate;
    private final List<Span> spans = new CopyOnWriteArrayList<>();
    private volatile long origin = System.nanoTime();

    TimedWarehouse(Warehouse delegate) {
        this.delegate = delegate;
    }

    void reset() {
        spans.clear();
        origin = System.nanoTime();
    }

    void print() {
        spans.stream().sorted(java.util.Comparator.comparingDouble(Span::openedMs)).forEach(s -> System.out.printf(
                Locale.ROOT, "    %8.1f .. %8.1f ms  %8.1f ms  %s%n", s.openedMs(), s.closedMs(),
                s.closedMs() - s.openedMs(), s.what()));
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
    public WarehouseSession openSession() {
        WarehouseSession session = delegate.openSession();
        double opened = (System.nanoTime() - origin) / 1e6;
        StringBuilder what = new StringBuilder();
        return new WarehouseSession() {
            private void note(String kind, String sql) {
                String text = sql.replaceAll("\\s+", " ");
                what.append(what.isEmpty() ? "" : "; ").append(kind).append(' ')
                        .append(text, 0, Math.min(90, text.length()));
            }

            @Override
            public void registerTable(String name, ArrowReader rows) {
                note("register", name);
                session.registerTable(name, rows);
            }

            @Override
            public void createTable(String name, ArrowReader rows, boolean replace) {
                note("create", name);
                session.createTable(name, rows, replace);
            }

            @Override
            public void dropTable(String name) {
                note("drop", name);
                session.dropTable(name);
            }

            @Override
            public boolean tableExists(String name) {
                return session.tableExists(name);
            }

            @Override
            public ArrowReader query(Statement statement, BufferAllocator allocator) {
                note("query", statement.sql());
                return session.query(statement, allocator);
            }

            @Override
            public Schema describe(Statement statement, BufferAllocator allocator) {
                note("describe", statement.sql());
                return session.describe(statement, allocator);
            }

            @Override
            public long execute(Statement statement) {
                note("execute", statement.sql());
                return session.execute(statement);
            }

            @Override
            public void close() {
                session.close();
                spans.add(new Span(opened, (System.nanoTime() - origin) / 1e6, what.toString()));
            }
        };
    }

    @Override
    public void close() {
        delegate.close();
    }
}
