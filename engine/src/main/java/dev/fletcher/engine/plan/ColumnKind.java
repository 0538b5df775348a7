package dev.fletcher.engine.plan;

/** What the planner needs to know of a warehouse column's type; the renderer maps concrete types onto these. */
public enum ColumnKind {
    STRING,
    INTEGER,
    FLOATING,
    DECIMAL,
    BOOLEAN,
    TIMESTAMP,
    DATE,
    OTHER;

    public boolean isNumeric() {
        return this == INTEGER || this == FLOATING || this == DECIMAL;
    }

    /** Whether a column of this kind can serve as an anchor or event time. */
    public boolean isTime() {
        return this == TIMESTAMP || this == DATE;
    }
}
