-- The stale set: the response is built first and the version it is stored under is read afterwards.
-- A writer that commits (and bumps) between the two makes the old response current under the new
-- version, and every later read serves it until the next bump. The base read path reads the
-- version before building, so a response is never stored under a version newer than its rows.
CREATE OR REPLACE FUNCTION turbo.fn_get_cached_response(
    p_query_type text, p_query_key text, p_domains text[], p_builder_function text, p_params jsonb
) RETURNS json
LANGUAGE plpgsql AS $$
DECLARE
    v_tenant uuid := turbo.fn_current_tenant();
    v_current bigint := turbo.fn_domains_version(v_tenant, p_domains);
    v_cached turbo.tb_graphql_cache%ROWTYPE;
    v_response jsonb;
BEGIN
    SELECT * INTO v_cached FROM turbo.tb_graphql_cache
    WHERE tenant_id = v_tenant AND query_type = p_query_type AND query_key = p_query_key;
    IF FOUND AND v_cached.cache_version >= v_current THEN
        RETURN v_cached.response_json::json;
    END IF;
    v_response := turbo.fn_call_builder(p_builder_function, p_params);
    v_current := turbo.fn_domains_version(v_tenant, p_domains); -- the defect: read after building
    INSERT INTO turbo.tb_graphql_cache AS c (tenant_id, query_type, query_key, response_json, cache_version, record_count)
    VALUES (v_tenant, p_query_type, p_query_key, v_response, v_current, 1)
    ON CONFLICT (tenant_id, query_type, query_key) DO UPDATE
    SET response_json = EXCLUDED.response_json, cache_version = EXCLUDED.cache_version, updated_at = now();
    RETURN v_response::json;
END $$;

CREATE OR REPLACE FUNCTION turbo.fn_get_cached_response(
    p_query_type text, p_query_key text, p_domain text, p_builder_function text, p_params jsonb
) RETURNS json
LANGUAGE sql AS $$
    SELECT turbo.fn_get_cached_response(p_query_type, p_query_key, ARRAY[p_domain], p_builder_function, p_params)
$$;
