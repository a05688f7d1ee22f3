package dev.sparkgateway.api;

import dev.sparkgateway.error.InvalidRequestException;
import dev.sparkgateway.query.Analysis;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

import java.util.Locale;

/** Spark's plan text for a statement, in the requested explain mode. */
@Schema(name = "ExplainResponse", description = "Spark's plan for a query, without running it",
        requiredProperties = {"mode", "plan"})
public record ExplainResponse(String mode, String plan) {

    /** {@code ?mode=}: simple (Spark's default), extended, codegen, cost or formatted. */
    static Analysis.ExplainMode mode(String name) {
        if (name == null || name.isBlank()) {
            return Analysis.ExplainMode.SIMPLE;
        }
        try {
            return Analysis.ExplainMode.valueOf(name.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new InvalidRequestException("unknown explain mode '" + name + "'; use simple, extended, codegen, cost or formatted");
        }
    }

    static ExplainResponse of(Analysis.ExplainMode mode, String plan) {
        return new ExplainResponse(mode.name().toLowerCase(Locale.ROOT), plan);
    }
}
