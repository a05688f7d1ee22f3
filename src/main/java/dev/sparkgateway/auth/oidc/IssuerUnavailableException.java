package dev.sparkgateway.auth.oidc;

import dev.sparkgateway.api.problem.ProblemType;
import dev.sparkgateway.api.problem.RequestException;

/** The issuer's discovery document cannot be had: no token can be checked, through no fault of the caller (503). */
final class IssuerUnavailableException extends RequestException {

    IssuerUnavailableException(String message) {
        super(ProblemType.ISSUER_UNAVAILABLE, message);
    }
}
