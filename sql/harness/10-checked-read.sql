-- Harness only (never part of `turbo-sim sql`): a cached read that checks itself. It reads through
-- turbo.fn_get_cached_response as p_tenant, builds the same response fresh, and raises when the
-- cached one is another tenant's (LEAK) or differs from the fresh one (STALE). Raising makes the
-- check work anywhere a statement can run: inside DO blocks, functions and transactions.
-- p_check_stale = false checks only the tenant (the isolation property).
CREATE SCHEMA turbo_sim;

CREATE FUNCTION turbo_sim.fn_checked_read(
    p_tenant uuid, p_read text, p_domains text[], p_builder text, p_check_stale boolean DEFAULT true
) RETURNS void
LANGUAGE plpgsql AS $$
DECLARE
    v_cached jsonb;
    v_fresh jsonb;
BEGIN
    PERFORM set_config('app.tenant_id', p_tenant::text, false);
    IF cardinality(p_domains) = 1 THEN
        v_cached := turbo.fn_get_cached_response(p_read, 'all', p_domains[1], p_builder, '{}'::jsonb)::jsonb;
    ELSE
        v_cached := turbo.fn_get_cached_response(p_read, 'all', p_domains, p_builder, '{}'::jsonb)::jsonb;
    END IF;
    v_fresh := turbo.fn_call_builder(p_builder, '{}'::jsonb);
    IF v_cached ->> 'tenant' IS DISTINCT FROM p_tenant::text THEN
        RAISE EXCEPTION 'turbo-sim LEAK: % read as tenant % returned tenant %', p_read, p_tenant, v_cached ->> 'tenant';
    END IF;
    IF p_check_stale AND v_cached IS DISTINCT FROM v_fresh THEN
        RAISE EXCEPTION 'turbo-sim STALE: % for tenant % served % but the builder returns %', p_read, p_tenant, v_cached, v_fresh;
    END IF;
END $$;
