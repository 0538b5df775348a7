package dev.fletcher.engine.plan;

import java.util.Locale;
import java.util.Optional;
import org.apache.calcite.avatica.util.Casing;
import org.apache.calcite.avatica.util.Quoting;
import org.apache.calcite.sql.SqlKind;
import org.apache.calcite.sql.SqlNode;
import org.apache.calcite.sql.SqlNodeList;
import org.apache.calcite.sql.parser.SqlParseException;
import org.apache.calcite.sql.parser.SqlParser;
import org.apache.calcite.sql.validate.SqlConformanceEnum;

/** {@link UserSql}'s structural check by Calcite's parser; loaded only when Calcite is on the class path. */
final class CalciteUserSql {
    private static final SqlParser.Config PARSER = SqlParser.config()
            .withQuoting(Quoting.DOUBLE_QUOTE)
            .withUnquotedCasing(Casing.UNCHANGED)
            .withQuotedCasing(Casing.UNCHANGED)
            .withCaseSensitive(true)
            .withConformance(SqlConformanceEnum.LENIENT);

    private CalciteUserSql() {
    }

    /** Whether Calcite's parser reads the text (as any statements). */
    static boolean reads(String sql) {
        try {
            SqlParser.create(sql, PARSER).parseStmtList();
            return true;
        } catch (SqlParseException | RuntimeException e) {
            return false;
        }
    }

    /** Empty when Calcite reads one query, or cannot read the text at all (the lexical check then decides). */
    static Optional<String> problem(String sql) {
        SqlNodeList statements;
        try {
            statements = SqlParser.create(sql, PARSER).parseStmtList();
        } catch (SqlParseException | RuntimeException e) {
            return Optional.empty();
        }
        if (statements.size() != 1) {
            return Optional.of("only one statement is allowed, and it must be a query");
        }
        SqlNode statement = statements.get(0);
        if (statement.getKind().belongsTo(SqlKind.QUERY)) {
            return Optional.empty();
        }
        return Optional.of(UserSql.notAllowed(construct(statement.getKind())));
    }

    private static String construct(SqlKind kind) {
        if (kind == SqlKind.SET_OPTION) {
            return "SET";
        }
        return kind == SqlKind.PROCEDURE_CALL ? "CALL" : kind.name().replace('_', ' ').toUpperCase(Locale.ROOT);
    }
}
