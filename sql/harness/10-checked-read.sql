-- Harness only (never part of `turbo-sim sql`): a cached read that checks itself. It reads through
-- turbo.fn_get_cached_response as p_tenant, builds the same response fresh, and raises when the
-- cached one is another tenant's (LEAK) or differs from the fresh one (STALE). Raising makes the
-- check work anywhere a statement can run: inside DO blocks, functions and transactions.
-- p_check_stale = false checks only the tenant (the isolation property).
-- The findings carry their own SQLSTATEs (class TS, which PostgreSQL leaves free) and a JSON
-- DETAIL, so turbo-sim reads them by code and field, never by matching message text.
CREATE SCHEMA turbo_sim;

-- What "stale" means, once: a served response that differs from what its builder returns now.
CREATE FUNCTION turbo_sim.fn_is_stale(p_served jsonb, p_builder text, p_params jsonb) RETURNS boolean
LANGUAGE sql AS $$
    SELECT p_served IS DISTINCT FROM turbo.fn_call_builder(p_builder, p_params)
$$;

-- What a cached read serves as p_tenant through the read path (its one- or multi-domain variant);
-- the tenant setting is the session's, as an application's.
CREATE FUNCTION turbo_sim.fn_served(p_tenant uuid, p_read text, p_domains text[], p_builder text) RETURNS jsonb
LANGUAGE plpgsql AS $$
BEGIN
    PERFORM set_config('app.tenant_id', p_tenant::text, false);
    IF cardinality(p_domains) = 1 THEN
        RETURN turbo.fn_get_cached_response(p_read, 'all', p_domains[1], p_builder, '{}'::jsonb)::jsonb;
    END IF;
    RETURN turbo.fn_get_cached_response(p_read, 'all', p_domains, p_builder, '{}'::jsonb)::jsonb;
END $$;

CREATE FUNCTION turbo_sim.fn_checked_read(
    p_tenant uuid, p_read text, p_domains text[], p_builder text, p_check_stale boolean DEFAULT true
) RETURNS void
LANGUAGE plpgsql AS $$
DECLARE
    v_cached jsonb;
BEGIN
    v_cached := turbo_sim.fn_served(p_tenant, p_read, p_domains, p_builder);
    IF v_cached ->> 'tenant' IS DISTINCT FROM p_tenant::text THEN
        RAISE EXCEPTION USING
            ERRCODE = 'TS002',
            MESSAGE = format('turbo-sim LEAK: %s read as tenant %s returned tenant %s', p_read, p_tenant, v_cached ->> 'tenant'),
            DETAIL = jsonb_build_object('read', p_read, 'tenant', p_tenant, 'servedTenant', v_cached ->> 'tenant')::text;
    END IF;
    IF p_check_stale AND turbo_sim.fn_is_stale(v_cached, p_builder, '{}'::jsonb) THEN
        RAISE EXCEPTION USING
            ERRCODE = 'TS001',
            MESSAGE = format('turbo-sim STALE: %s for tenant %s served %s but the builder returns %s',
                             p_read, p_tenant, v_cached, turbo.fn_call_builder(p_builder, '{}'::jsonb)),
            DETAIL = jsonb_build_object('read', p_read, 'tenant', p_tenant, 'served', v_cached,
                                        'fresh', turbo.fn_call_builder(p_builder, '{}'::jsonb))::text;
    END IF;
END $$;
