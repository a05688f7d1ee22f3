package dev.sparkgateway.statement;

import java.util.Objects;

/**
 * Whose statements a caller may see: its own, or everyone's ({@code all}, the admin role). A
 * statement the caller may not see is answered exactly like one that does not exist.
 */
public record StatementAccess(String principal, boolean all) {

    public StatementAccess {
        Objects.requireNonNull(principal, "principal is null");
    }

    public boolean allows(String owner) {
        return all || principal.equals(owner);
    }
}
