package dev.fletcher.engine.plan;

/** A request the engine cannot plan: unknown names, missing or mistyped columns, clashing output names. */
public class PlanException extends IllegalArgumentException {
    public PlanException(String message) {
        super(message);
    }
}
