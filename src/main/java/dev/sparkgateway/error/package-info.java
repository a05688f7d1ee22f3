/**
 * The gateway's own failures, one sealed hierarchy with no dependency on HTTP or on other gateway packages: every
 * package throws these, and {@code problem.Problems} is the one place that maps them to
 * problem+json. {@link SparkException} is the only member that carries what Spark said.
 */
package dev.sparkgateway.error;
