package dev.fletcher.engine.eval;

import dev.fletcher.spi.online.OnlineValues;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

/**
 * One entity's events that can still count at some later watermark, oldest first, and the best row among those
 * already dropped (for latest values without a ttl). Stored form (format 1): a version byte, the event count, each
 * event as event time and created time (microseconds; Long.MIN_VALUE for none) and its row ({@link OnlineValues}),
 * then a flag and the best dropped row.
 */
public final class EntityState {
    /** One source row. */
    public record Event(long time, long created, Object[] values) {
    }

    final List<Event> events = new ArrayList<>();
    Event bestDropped;

    public void add(Event event) {
        int at = events.size();
        while (at > 0 && events.get(at - 1).time() > event.time()) {
            at--;
        }
        events.add(at, event);
    }

    public byte[] encode() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeByte(1);
            out.writeInt(events.size());
            for (Event event : events) {
                write(out, event);
            }
            out.writeBoolean(bestDropped != null);
            if (bestDropped != null) {
                write(out, bestDropped);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    private static void write(DataOutputStream out, Event event) throws IOException {
        out.writeLong(event.time());
        out.writeLong(event.created());
        byte[] row = OnlineValues.encode(event.values());
        out.writeInt(row.length);
        out.write(row);
    }

    public static EntityState decode(byte[] bytes) {
        ByteBuffer in = ByteBuffer.wrap(bytes);
        if (in.get() != 1) {
            throw new IllegalArgumentException("unknown entity state format");
        }
        EntityState state = new EntityState();
        int count = in.getInt();
        for (int i = 0; i < count; i++) {
            state.events.add(read(in));
        }
        if (in.get() != 0) {
            state.bestDropped = read(in);
        }
        return state;
    }

    private static Event read(ByteBuffer in) {
        long time = in.getLong();
        long created = in.getLong();
        byte[] row = new byte[in.getInt()];
        in.get(row);
        return new Event(time, created, OnlineValues.decode(row));
    }
}
