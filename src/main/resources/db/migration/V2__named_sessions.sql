-- Named sessions (POST /v1/sessions) of every gateway replica, with gateway.statements.store=postgresql:
-- what any replica needs to address the Spark Connect session (user and ids on one endpoint) and to
-- judge who may use it and when it expires. Times are the replicas' clocks (seconds of skew only move
-- an idle expiry by as much).

CREATE TABLE named_sessions (
    id                     text PRIMARY KEY,          -- the gateway's opaque id, never the Spark session id
    owner                  text        NOT NULL,      -- the principal that created it
    spark_user             text        NOT NULL,
    restricted             boolean     NOT NULL,      -- created with the SQL policy's mark
    endpoint               text        NOT NULL,      -- the Spark Connect server it lives on
    spark_session_id       text        NOT NULL,
    server_side_session_id text,                      -- what the server answered: a restarted server is
                                                      -- then told apart from the one that made the session
    created_at             timestamptz NOT NULL,
    last_used_at           timestamptz NOT NULL,
    lost                   boolean     NOT NULL DEFAULT false
);

CREATE INDEX named_sessions_owner ON named_sessions (owner, created_at);
CREATE INDEX named_sessions_last_used ON named_sessions (last_used_at);
