package dev.fletcher.warehouse.bigquery;

import com.google.api.gax.rpc.ServerStream;
import com.google.cloud.bigquery.TableId;
import com.google.cloud.bigquery.storage.v1.CreateReadSessionRequest;
import com.google.cloud.bigquery.storage.v1.DataFormat;
import com.google.cloud.bigquery.storage.v1.ReadRowsRequest;
import com.google.cloud.bigquery.storage.v1.ReadRowsResponse;
import com.google.cloud.bigquery.storage.v1.ReadSession;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.channels.Channels;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.ipc.ArrowReader;
import org.apache.arrow.vector.ipc.ReadChannel;
import org.apache.arrow.vector.ipc.message.ArrowRecordBatch;
import org.apache.arrow.vector.ipc.message.MessageSerializer;
import org.apache.arrow.vector.types.TimeUnit;
import org.apache.arrow.vector.types.pojo.ArrowType;
import org.apache.arrow.vector.types.pojo.Field;
import org.apache.arrow.vector.types.pojo.FieldType;
import org.apache.arrow.vector.types.pojo.Schema;

/**
 * A query's result table read through the Storage Read API in Arrow, one stream so the rows keep their order,
 * batch by batch as BigQuery sends them. Timestamps without a zone (DATETIME) are relabelled UTC: the microseconds
 * are the same, only the label differs.
 */
final class StorageReader extends ArrowReader {
    private final BigQueryWarehouse warehouse;
    private final TableId table;
    private final Runnable finished;
    private Schema schema;
    private Iterator<ReadRowsResponse> responses;
    private ServerStream<ReadRowsResponse> stream;
    private long bytes;

    StorageReader(BigQueryWarehouse warehouse, TableId table, BufferAllocator allocator, Runnable finished) {
        super(allocator);
        this.warehouse = warehouse;
        this.table = table;
        this.finished = finished;
    }

    private void open() throws IOException {
        if (schema != null) {
            return;
        }
        try {
            ReadSession session = warehouse.reader().createReadSession(CreateReadSessionRequest.newBuilder()
                    .setParent("projects/" + warehouse.config().project())
                    .setReadSession(ReadSession.newBuilder()
                            .setTable("projects/" + table.getProject() + "/datasets/" + table.getDataset() + "/tables/"
                                    + table.getTable())
                            .setDataFormat(DataFormat.ARROW))
                    .setMaxStreamCount(1)
                    .build());
            Schema sent = MessageSerializer.deserializeSchema(new ReadChannel(Channels.newChannel(
                    new ByteArrayInputStream(session.getArrowSchema().getSerializedSchema().toByteArray()))));
            schema = utc(sent);
            if (session.getStreamsCount() > 0) {
                stream = warehouse.reader().readRowsCallable().call(ReadRowsRequest.newBuilder()
                        .setReadStream(session.getStreams(0).getName()).build());
                responses = stream.iterator();
            } else {
                responses = List.<ReadRowsResponse>of().iterator();
            }
        } catch (RuntimeException e) {
            throw warehouse.error(e);
        }
    }

    static Schema utc(Schema sent) {
        List<Field> fields = new ArrayList<>();
        for (Field field : sent.getFields()) {
            if (field.getType() instanceof ArrowType.Timestamp t && t.getTimezone() == null) {
                fields.add(new Field(field.getName(), new FieldType(field.isNullable(),
                        new ArrowType.Timestamp(TimeUnit.MICROSECOND, "UTC"), null, field.getMetadata()),
                        field.getChildren()));
            } else {
                fields.add(field);
            }
        }
        return new Schema(fields, sent.getCustomMetadata());
    }

    @Override
    protected Schema readSchema() throws IOException {
        open();
        return schema;
    }

    @Override
    public boolean loadNextBatch() throws IOException {
        open();
        prepareLoadNextBatch();
        try {
            while (responses.hasNext()) {
                ReadRowsResponse response = responses.next();
                if (!response.hasArrowRecordBatch()) {
                    continue;
                }
                byte[] serialized = response.getArrowRecordBatch().getSerializedRecordBatch().toByteArray();
                bytes += serialized.length;
                try (ArrowRecordBatch batch = MessageSerializer.deserializeRecordBatch(new ReadChannel(
                        Channels.newChannel(new ByteArrayInputStream(serialized))), allocator)) {
                    loadRecordBatch(batch);
                }
                return true;
            }
            return false;
        } catch (RuntimeException e) {
            throw warehouse.error(e);
        }
    }

    @Override
    public long bytesRead() {
        return bytes;
    }

    @Override
    protected void closeReadSource() {
        try {
            if (stream != null) {
                stream.cancel();
            }
        } finally {
            finished.run();
        }
    }
}
