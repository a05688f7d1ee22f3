-- Statements of every gateway replica (gateway.statements.store=postgresql). One row per statement,
-- written by the replica that runs it; a removed statement keeps its row (removal, removed_at) for a
-- day so its 404 can say why. All times are the database's clock, so replicas' clocks never compare.

CREATE TABLE gateway_instances (
    id          uuid PRIMARY KEY,
    name        text        NOT NULL,             -- host and pid, for the error of a lost replica's statements
    started_at  timestamptz NOT NULL DEFAULT now(),
    lease_until timestamptz NOT NULL
);

CREATE TABLE statements (
    id              uuid PRIMARY KEY,
    owner           text        NOT NULL,
    idempotency_key text,
    fingerprint     text        NOT NULL,
    instance_id     uuid        NOT NULL,         -- the replica running it
    state           text        NOT NULL,
    version         bigint      NOT NULL,
    created_at      timestamptz NOT NULL,
    ended_at        timestamptz,
    last_access     timestamptz NOT NULL,         -- any replica asked about it: not abandoned
    operation_id    text,
    spark_user      text,                         -- the Spark Connect session of operation_id: any replica
    spark_session   text,                         -- can interrupt it there
    spark_endpoint  text,                         -- on this Spark Connect server (gateway.spark.endpoints)
    columns         jsonb,
    progress        jsonb       NOT NULL,
    chunks          jsonb       NOT NULL,
    row_count       bigint      NOT NULL DEFAULT 0,
    byte_count      bigint      NOT NULL DEFAULT 0,
    truncated       boolean     NOT NULL DEFAULT false,
    failure         jsonb,
    removal         text,                         -- DELETED, EXPIRED, EVICTED; null while held
    removed_at      timestamptz
);

-- An Idempotency-Key is its owner's, unique among the statements held (a removed one frees it).
CREATE UNIQUE INDEX statements_idempotency_key ON statements (owner, idempotency_key)
    WHERE idempotency_key IS NOT NULL AND removal IS NULL;
CREATE INDEX statements_newest ON statements (created_at DESC, id) WHERE removal IS NULL;
CREATE INDEX statements_owner_newest ON statements (owner, created_at DESC, id) WHERE removal IS NULL;
CREATE INDEX statements_fingerprint ON statements (fingerprint text_pattern_ops) WHERE removal IS NULL;
CREATE INDEX statements_unfinished ON statements (instance_id) WHERE state IN ('PENDING', 'RUNNING');
CREATE INDEX statements_ended ON statements (ended_at) WHERE removal IS NULL AND ended_at IS NOT NULL;
CREATE INDEX statements_removed ON statements (removed_at) WHERE removal IS NOT NULL;
