package dev.fletcher.catalog.syntax;

/** An expression the language does not read; {@code offset} is where in the text the reader stopped. */
public final class ExpressionException extends IllegalArgumentException {
    private final int offset;

    public ExpressionException(String message, int offset) {
        super(message);
        this.offset = offset;
    }

    public int offset() {
        return offset;
    }
}
