-- design seed: transcribed from shared/design/batch-safe-lazy-caching-examples.md (statement tracker).
-- Same keys and semantics as published; any change needed to run is marked FIX.

-- Core statement tracker table (production-tested)
CREATE TABLE turbo.tb_statement_version_tracker (
    backend_pid INT NOT NULL,
    statement_timestamp TIMESTAMP NOT NULL,
    tenant_id UUID NOT NULL,
    domain TEXT NOT NULL,
    version_incremented BOOLEAN DEFAULT FALSE,
    created_at TIMESTAMP DEFAULT NOW(),

    PRIMARY KEY (backend_pid, statement_timestamp, tenant_id, domain)
);

-- Indexes for performance
CREATE INDEX idx_statement_tracker_cleanup
ON turbo.tb_statement_version_tracker(created_at);

CREATE INDEX idx_statement_tracker_lookup
ON turbo.tb_statement_version_tracker(backend_pid, statement_timestamp);
