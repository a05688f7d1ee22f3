package dev.sparkgateway.plan.dataframe;

/**
 * Bounds on what one spec may ask for, so that a request cannot make the gateway (or Spark's
 * analyzer) recurse or allocate without limit.
 *
 * @param maxDepth      how deeply specs may nest (a join's right side is one level deeper)
 * @param maxOperations sources plus operations across all nested specs
 * @param maxInlineRows rows in all {@code values} sources together
 */
public record SpecLimits(int maxDepth, int maxOperations, int maxInlineRows) {

    public static final SpecLimits DEFAULTS = new SpecLimits(16, 500, 10_000);

    public SpecLimits {
        if (maxDepth < 1 || maxOperations < 1 || maxInlineRows < 0) {
            throw new IllegalArgumentException("spec limits must be positive");
        }
    }
}
