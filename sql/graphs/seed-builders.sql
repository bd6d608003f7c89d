-- Response builders for the seed graph: builder(params jsonb) returns jsonb, for the session's
-- tenant (app.tenant_id). Each response names its tenant, so a read can check it got its own.
--
-- Which domain guards a response follows from the one-level cascade: a response may read only tables
-- whose writes bump its guarding domain. The contract detail reads contracts, items and prices; the
-- one domain all three writes bump is price (contract -> price, contract_item -> price).
-- An allocation list reads allocations, machines and contracts, all of which bump allocation.

-- The session tenant's rows of one tv_ table, as [{id, data}] in id order.
CREATE FUNCTION turbo.fn_tenant_rows(p_table regclass) RETURNS jsonb
LANGUAGE plpgsql STABLE AS $$
DECLARE
    v jsonb;
BEGIN
    EXECUTE format('SELECT coalesce(jsonb_agg(jsonb_build_object(''id'', id, ''data'', data) ORDER BY id), ''[]'')
                    FROM %s WHERE tenant_id = $1', p_table)
        INTO v USING turbo.fn_current_tenant();
    RETURN v;
END $$;

CREATE FUNCTION turbo.fn_build_contract_detail(p_params jsonb) RETURNS jsonb
LANGUAGE sql STABLE AS $$
    SELECT jsonb_build_object(
        'tenant', turbo.fn_current_tenant(),
        'contracts', turbo.fn_tenant_rows('tv_contract'),
        'items', turbo.fn_tenant_rows('tv_contract_item'),
        'prices', turbo.fn_tenant_rows('tv_price'))
$$;

CREATE FUNCTION turbo.fn_build_allocations(p_params jsonb) RETURNS jsonb
LANGUAGE sql STABLE AS $$
    SELECT jsonb_build_object(
        'tenant', turbo.fn_current_tenant(),
        'allocations', turbo.fn_tenant_rows('tv_allocation'),
        'machines', turbo.fn_tenant_rows('tv_machine'),
        'contracts', turbo.fn_tenant_rows('tv_contract'))
$$;

-- Reads contract items too, which reach allocation only through contract: two cascade levels.
-- Coherent with a transitive graph, stale with the seed's one-level cascade (docs/coherence.md).
CREATE FUNCTION turbo.fn_build_allocations_with_items(p_params jsonb) RETURNS jsonb
LANGUAGE sql STABLE AS $$
    SELECT turbo.fn_build_allocations(p_params) || jsonb_build_object(
        'items', turbo.fn_tenant_rows('tv_contract_item'))
$$;

-- The builder the seed's TurboRouter example registers ('user.fn_build_profile_response').
CREATE SCHEMA IF NOT EXISTS "user";
CREATE FUNCTION "user".fn_build_profile_response(p_params jsonb) RETURNS jsonb
LANGUAGE sql STABLE AS $$
    SELECT jsonb_build_object(
        'tenant', turbo.fn_current_tenant(),
        'user', (SELECT jsonb_build_object('id', id, 'data', data) FROM tv_user
                 WHERE tenant_id = turbo.fn_current_tenant() AND id = (p_params ->> 'user_id')::bigint))
$$;

-- A machine overview reads allocations, maintenance and machines. No single domain is bumped by all
-- three tables, so it is read with the multi-domain variant, guarded by allocation and maintenance.
CREATE FUNCTION turbo.fn_build_machine_overview(p_params jsonb) RETURNS jsonb
LANGUAGE sql STABLE AS $$
    SELECT jsonb_build_object(
        'tenant', turbo.fn_current_tenant(),
        'machines', turbo.fn_tenant_rows('tv_machine'),
        'allocations', turbo.fn_tenant_rows('tv_allocation'),
        'maintenance', turbo.fn_tenant_rows('tv_maintenance'))
$$;

-- The seed design's TurboRouter registration example (batch-safe-lazy-caching-examples.md), kept
-- with the builder it names so that every design installed on the seed graph can execute it.
-- Note: its query_hash hashes the string 'GetUserProfile query hash', not the GraphQL text as
-- DESIGN-NOTES.md says a TurboRouter hash is; kept as published.
-- Register cached queries with TurboRouter
INSERT INTO turbo.tb_turbo_query (
    operation_name,
    query_hash,
    graphql_query,
    sql_template,
    param_mapping,
    is_active
) VALUES (
    'GetUserProfile',
    encode(sha256('GetUserProfile query hash'::bytea), 'hex'),
    'query GetUserProfile($id: UUID!) { userProfile(id: $id) { id name email avatar } }',
    'SELECT turbo.fn_get_cached_response(
        ''user_profile'',
        $1::text,
        ''user'',
        ''user.fn_build_profile_response'',
        jsonb_build_object(''user_id'', $1)
    )',
    '{"id": 1}'::jsonb,
    true
) ON CONFLICT (query_hash) DO UPDATE SET
    operation_name = EXCLUDED.operation_name,
    sql_template = EXCLUDED.sql_template,
    updated_at = NOW();
