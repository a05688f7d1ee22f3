package dev.sparkgateway.statement;

/** PENDING → RUNNING → SUCCEEDED | FAILED | CANCELED; a SUCCEEDED statement becomes CLOSED when deleted. */
public enum StatementState {
    PENDING, RUNNING, SUCCEEDED, FAILED, CANCELED, CLOSED;

    public boolean isTerminal() {
        return this != PENDING && this != RUNNING;
    }
}
