-- The read path every design shares: lazy read-through of turbo.tb_graphql_cache, checked against
-- turbo.tb_domain_version, as DESIGN-NOTES.md describes it, and TurboRouter execution by hash.

-- One row per cached read, so scenarios and tests can say "miss" or "hit" and at which versions.
CREATE TABLE turbo.tb_cache_read_log (
    id bigserial PRIMARY KEY,
    tenant_id uuid NOT NULL,
    query_type text NOT NULL,
    query_key text NOT NULL,
    outcome text NOT NULL CHECK (outcome IN ('hit', 'miss')),
    cache_version bigint,
    current_version bigint NOT NULL,
    read_at timestamptz NOT NULL DEFAULT clock_timestamp()
);

-- The tenant of the session; a clear error when the application forgot to set it.
CREATE FUNCTION turbo.fn_current_tenant() RETURNS uuid
LANGUAGE plpgsql STABLE AS $$
DECLARE
    v text := current_setting('app.tenant_id', true);
BEGIN
    IF v IS NULL OR v = '' THEN
        RAISE EXCEPTION 'app.tenant_id is not set: SET app.tenant_id = ''<tenant uuid>'' before a cached read';
    END IF;
    RETURN v::uuid;
END $$;

-- A point inside a cached read, between building a response and storing it, where a concurrency test
-- may hold the read (the harness replaces this no-op; see sql/harness/30-pause-point.sql). Production
-- pays one empty call per build.
CREATE FUNCTION turbo.fn_read_pause_point(p_builder text) RETURNS void
LANGUAGE sql AS $$ SELECT $$;

-- Calls a builder by name: builder(params jsonb) returns jsonb. The name is resolved to a function
-- first, so a bad name is an error naming it rather than a syntax error in dynamic SQL.
CREATE FUNCTION turbo.fn_call_builder(p_builder text, p_params jsonb) RETURNS jsonb
LANGUAGE plpgsql AS $$
DECLARE
    v_fn regprocedure := to_regprocedure(p_builder || '(jsonb)');
    v_result jsonb;
BEGIN
    IF v_fn IS NULL THEN
        RAISE EXCEPTION 'unknown builder function %(jsonb)', p_builder;
    END IF;
    EXECUTE format('SELECT %s($1)', v_fn::regproc) INTO v_result USING p_params;
    PERFORM turbo.fn_read_pause_point(p_builder);
    RETURN v_result;
END $$;

-- Shared by both variants: serve the cached row when it was built at p_current or later, otherwise
-- build, store at p_current and serve.
CREATE FUNCTION turbo.fn_read_through(
    p_query_type text, p_query_key text, p_current bigint, p_builder text, p_params jsonb
) RETURNS json
LANGUAGE plpgsql AS $$
DECLARE
    v_tenant uuid := turbo.fn_current_tenant();
    v_cached turbo.tb_graphql_cache%ROWTYPE;
    v_response jsonb;
BEGIN
    SELECT * INTO v_cached FROM turbo.tb_graphql_cache
    WHERE tenant_id = v_tenant AND query_type = p_query_type AND query_key = p_query_key;
    IF FOUND AND v_cached.cache_version >= p_current THEN
        INSERT INTO turbo.tb_cache_read_log (tenant_id, query_type, query_key, outcome, cache_version, current_version)
        VALUES (v_tenant, p_query_type, p_query_key, 'hit', v_cached.cache_version, p_current);
        RETURN v_cached.response_json::json;
    END IF;
    v_response := turbo.fn_call_builder(p_builder, p_params);
    INSERT INTO turbo.tb_graphql_cache AS c (tenant_id, query_type, query_key, response_json, cache_version, record_count)
    VALUES (v_tenant, p_query_type, p_query_key, v_response, p_current,
            CASE jsonb_typeof(v_response) WHEN 'array' THEN jsonb_array_length(v_response) ELSE 1 END)
    ON CONFLICT (tenant_id, query_type, query_key) DO UPDATE
    SET response_json = EXCLUDED.response_json, cache_version = EXCLUDED.cache_version,
        record_count = EXCLUDED.record_count, updated_at = now();
    INSERT INTO turbo.tb_cache_read_log (tenant_id, query_type, query_key, outcome, cache_version, current_version)
    VALUES (v_tenant, p_query_type, p_query_key, 'miss', v_cached.cache_version, p_current);
    RETURN v_response::json;
END $$;

-- The version a response of one or more domains must have been built at: the SUM of the domains'
-- versions (a missing row counts 0). A design may replace this function (same signature); reports
-- name the read path they judged, this one or the design's own.
--
-- A response guarded by several domains must be rebuilt when any of them is bumped. The published
-- MAX misses that whenever the bumped domain is not the highest: a machine overview guarded by
-- (allocation, maintenance) and cached at max(5, 1) = 5 is still served after maintenance goes to 2
-- (docs/coherence.md C1; the seed keeps MAX as published). Versions only grow and every bump adds
-- exactly 1, so the sum grows with every bump of any guarding domain; a rollback takes back the bump
-- and the cache row it may have caused together. For one domain the sum is that domain's version.
--
-- The sum runs over every row of the pair, rows of tables inheriting from turbo.tb_domain_version
-- included (turbo.v_domain_version). PL/pgSQL keeps the query's plan for the session, where
-- PostgreSQL 15 plans a SQL function's query on every call: 20,000 reads of one domain took 50
-- microseconds each as SQL and 24 as PL/pgSQL on one table, and on robust's table with the one
-- inheriting from it 160 as SQL and 48 as PL/pgSQL (PostgreSQL 15, load 10, 2026-12-05).
CREATE FUNCTION turbo.fn_domains_version(p_tenant uuid, p_domains text[]) RETURNS bigint
LANGUAGE plpgsql STABLE AS $$
BEGIN
    RETURN (SELECT coalesce(sum(version), 0)::bigint FROM turbo.tb_domain_version
            WHERE tenant_id = p_tenant AND domain = ANY (p_domains));
END $$;

-- Lazy read of one response guarded by one domain's version.
CREATE FUNCTION turbo.fn_get_cached_response(
    p_query_type text, p_query_key text, p_domain text, p_builder_function text, p_params jsonb
) RETURNS json
LANGUAGE sql AS $$
    SELECT turbo.fn_read_through(p_query_type, p_query_key,
        turbo.fn_domains_version(turbo.fn_current_tenant(), ARRAY[p_domain]), p_builder_function, p_params)
$$;

-- The published multi-domain variant: guarded by several domains' versions together.
CREATE FUNCTION turbo.fn_get_cached_response(
    p_query_type text, p_query_key text, p_domains text[], p_builder_function text, p_params jsonb
) RETURNS json
LANGUAGE sql AS $$
    SELECT turbo.fn_read_through(p_query_type, p_query_key,
        turbo.fn_domains_version(turbo.fn_current_tenant(), p_domains), p_builder_function, p_params)
$$;

-- TurboRouter: run a registered query by the sha256 hex of its GraphQL text. param_mapping maps a
-- GraphQL variable to its positional parameter ({"id": 1} binds variables.id to $1); parameters
-- are passed as text, in one array, so no variable is ever spliced into the SQL.
CREATE FUNCTION turbo.fn_execute_turbo_query(p_query_hash text, p_variables jsonb DEFAULT '{}'::jsonb) RETURNS json
LANGUAGE plpgsql AS $$
DECLARE
    q turbo.tb_turbo_query%ROWTYPE;
    v_params text[] := '{}';
    v_sql text;
    v_var text;
    v_pos int;
    v_result json;
BEGIN
    SELECT * INTO q FROM turbo.tb_turbo_query WHERE query_hash = p_query_hash;
    IF NOT FOUND THEN
        RAISE EXCEPTION 'unknown TurboRouter query hash %', p_query_hash;
    END IF;
    IF NOT q.is_active THEN
        RAISE EXCEPTION 'TurboRouter query % (%) is not active', q.operation_name, p_query_hash;
    END IF;
    FOR v_var, v_pos IN SELECT key, value::int FROM jsonb_each_text(q.param_mapping) LOOP
        IF NOT (coalesce(p_variables, '{}'::jsonb) ? v_var) THEN
            RAISE EXCEPTION 'TurboRouter query % needs variable $%', q.operation_name, v_var;
        END IF;
        v_params[v_pos] := p_variables ->> v_var;
    END LOOP;
    -- $n becomes ($1)[n]: the whole parameter array is the one bound value. Highest n first, so $1
    -- does not rewrite the start of $12, and through a marker, so no rewritten ($1)[n] is rewritten again.
    v_sql := q.sql_template;
    FOR v_pos IN REVERSE coalesce(cardinality(v_params), 0)..1 LOOP
        v_sql := replace(v_sql, '$' || v_pos, format('(@turbo_params@)[%s]', v_pos));
    END LOOP;
    v_sql := replace(v_sql, '@turbo_params@', '$1');
    EXECUTE v_sql INTO v_result USING v_params;
    UPDATE turbo.tb_turbo_query SET execution_count = execution_count + 1 WHERE query_hash = p_query_hash;
    RETURN v_result;
END $$;
