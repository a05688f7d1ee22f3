package dev.sparkgateway.api;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

import java.util.List;

/** {@code GET /v1/sessions}: the caller's named sessions. */
@Schema(name = "SessionList", requiredProperties = {"sessions"})
public record SessionListResponse(@Schema(description = "Oldest first") List<SessionResponse> sessions) {
}
