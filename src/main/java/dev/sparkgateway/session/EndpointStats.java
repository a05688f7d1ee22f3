package dev.sparkgateway.session;

/** The pool's sessions on one Spark Connect endpoint: idle and leased ones, and requests waiting for one. */
public record EndpointStats(String endpoint, int idle, int inUse, int waiting) {

    /** Sessions open on the endpoint's server, the load placement compares. */
    public int open() {
        return idle + inUse;
    }
}
