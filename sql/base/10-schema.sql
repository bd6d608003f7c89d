-- Base layer shared by every design: the version counters, the response cache, the TurboRouter
-- registry and the cascade graph as data. Designs add triggers on top; they never redefine these
-- (a design may add a table that inherits from turbo.tb_domain_version: see turbo.v_domain_version).
CREATE SCHEMA IF NOT EXISTS turbo;

-- One row per (tenant, domain); a missing row means version 0.
CREATE TABLE turbo.tb_domain_version (
    tenant_id uuid NOT NULL,
    domain text NOT NULL,
    version bigint NOT NULL DEFAULT 0,
    last_modified timestamp,
    modified_by text,
    change_summary text,
    PRIMARY KEY (tenant_id, domain)
);

-- The one documented way to read versions: a pair's version is the sum of `version` over its rows
-- in turbo.tb_domain_version, rows of tables that inherit from it included. Most designs keep one
-- row per pair, whose sum is that row; robust appends a row per bump to an inheriting table, so that
-- no writer waits on a version row (sql/designs/robust/10-version-deltas.sql says why). The read
-- path (turbo.fn_domains_version) sums the same way; turbo-sim reads this view.
CREATE VIEW turbo.v_domain_version AS
SELECT tenant_id, domain, sum(version)::bigint AS version
FROM turbo.tb_domain_version
GROUP BY tenant_id, domain;

CREATE TABLE turbo.tb_domain_version_history (
    id bigserial PRIMARY KEY,
    tenant_id uuid NOT NULL,
    domain text NOT NULL,
    version bigint NOT NULL,
    modified_at timestamp NOT NULL DEFAULT now(),
    modified_by text,
    change_summary text
);

-- History is kept by the base layer so that every design gets the same audit trail, whichever way it
-- decides to bump. A design that bumps many version rows in one statement may write these rows from
-- that statement itself and disable this trigger (robust does: one insert per statement instead of a
-- trigger call per row); the rows must stay the same, one per bump.
CREATE FUNCTION turbo.fn_record_domain_version_history() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO turbo.tb_domain_version_history (tenant_id, domain, version, modified_by, change_summary)
    VALUES (NEW.tenant_id, NEW.domain, NEW.version, NEW.modified_by, NEW.change_summary);
    RETURN NULL;
END $$;

CREATE TRIGGER tr_domain_version_history
AFTER INSERT OR UPDATE OF version ON turbo.tb_domain_version
FOR EACH ROW EXECUTE FUNCTION turbo.fn_record_domain_version_history();

CREATE TABLE turbo.tb_graphql_cache (
    tenant_id uuid NOT NULL,
    query_type text NOT NULL,
    query_key text NOT NULL,
    response_json jsonb,
    cache_version bigint NOT NULL,
    record_count int,
    created_at timestamp NOT NULL DEFAULT now(),
    updated_at timestamp NOT NULL DEFAULT now(),
    PRIMARY KEY (tenant_id, query_type, query_key)
);

CREATE TABLE turbo.tb_turbo_query (
    operation_name text NOT NULL,
    query_hash text NOT NULL UNIQUE,
    graphql_query text NOT NULL,
    sql_template text NOT NULL,
    param_mapping jsonb NOT NULL DEFAULT '{}'::jsonb,
    is_active boolean NOT NULL DEFAULT true,
    execution_count bigint NOT NULL DEFAULT 0,
    created_at timestamp NOT NULL DEFAULT now(),
    updated_at timestamp NOT NULL DEFAULT now()
);

-- The cascade graph as data: a write to source_domain also invalidates target_domain.
CREATE TABLE turbo.tb_domain_dependency (
    source_domain text NOT NULL,
    target_domain text NOT NULL,
    PRIMARY KEY (source_domain, target_domain),
    CHECK (source_domain <> target_domain)
);

-- Every tv_ table has the same shape, so the graph (seed or a user's domain file) only has to name
-- its domains. Created on the search_path's first schema, like the design's own tv_ examples.
CREATE FUNCTION turbo.fn_create_tv_table(p_domain text) RETURNS void
LANGUAGE plpgsql AS $$
BEGIN
    EXECUTE format(
        'CREATE TABLE %I (
            id bigint PRIMARY KEY,
            tenant_id uuid NOT NULL,
            data jsonb NOT NULL DEFAULT ''{}''::jsonb,
            updated_at timestamptz NOT NULL DEFAULT now()
        )', 'tv_' || p_domain);
    EXECUTE format('CREATE INDEX %I ON %I (tenant_id)', 'idx_tv_' || p_domain || '_tenant', 'tv_' || p_domain);
END $$;

-- Runs format(p_template, table, domain) for every tv_ table on the search_path, in name order:
-- %1$s is the table, %2$s its domain. Designs use it to attach their triggers to the whole graph.
CREATE FUNCTION turbo.fn_for_each_tv_table(p_template text) RETURNS void
LANGUAGE plpgsql AS $$
DECLARE
    t record;
BEGIN
    FOR t IN
        SELECT c.oid::regclass AS tbl, regexp_replace(c.relname, '^tv_', '') AS domain
        FROM pg_class c
        WHERE c.relkind = 'r' AND c.relname LIKE 'tv\_%' AND pg_table_is_visible(c.oid)
        ORDER BY c.relname
    LOOP
        EXECUTE format(p_template, t.tbl, t.domain);
    END LOOP;
END $$;
