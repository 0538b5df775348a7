package dev.fletcher.engine.plan;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Column lists in error messages name columns, never what may be a value used as a name. */
class ColumnMessagesTest {
    @Test
    void plainNamesAreShownAndNamesThatMayBeDataOnlyByPosition() {
        List<Column> columns = List.of(new Column("lead_id", ColumnKind.STRING),
                new Column("root:x:0:0:root:/root:/bin/bash", ColumnKind.STRING),
                new Column("Event Time", ColumnKind.TIMESTAMP), new Column("column2", ColumnKind.INTEGER));
        assertThat(Column.listed(columns)).isEqualTo("lead_id, column 2 (its name is not shown), column 3 (its name is"
                + " not shown), column2");
        assertThat(Column.listed(List.of())).isEqualTo("none");
        assertThat(Column.shown("x".repeat(65), 1)).isEqualTo("column 1 (its name is not shown)");
    }
}
