-- Harness only: the pause point of a cached read (turbo.fn_read_pause_point, a no-op in the base
-- layer), for the concurrency scheduler (src/verify/scheduler.ts). A read sent by
-- turbo_sim.fn_paused_read puts its pause key in turbo_sim.pause_key; once its builder has built,
-- it waits for the advisory lock (PAUSE_LOCK_CLASS, the read's key) that the scheduler's control
-- connection holds, so the scheduler sees it blocked on the control connection and decides what runs before the
-- read goes on to store its response. It pauses once per read: the fresh builds of a check do not.
CREATE OR REPLACE FUNCTION turbo.fn_read_pause_point(p_builder text) RETURNS void
LANGUAGE plpgsql AS $$
DECLARE
    v_key text := current_setting('turbo_sim.pause_key', true);
BEGIN
    IF v_key IS NULL OR v_key = '' THEN
        RETURN;
    END IF;
    PERFORM set_config('turbo_sim.pause_key', '', false);
    PERFORM pg_advisory_lock_shared(29539, v_key::int);
    PERFORM pg_advisory_unlock_shared(29539, v_key::int);
END $$;

-- A cached read as p_tenant through the read path (the one- or the multi-domain variant), paused
-- once between build and store when it builds; returns the response it served.
CREATE FUNCTION turbo_sim.fn_paused_read(
    p_pause_key int, p_tenant uuid, p_read text, p_domains text[], p_builder text
) RETURNS jsonb
LANGUAGE plpgsql AS $$
DECLARE
    v_served jsonb;
BEGIN
    PERFORM set_config('turbo_sim.pause_key', p_pause_key::text, false);
    v_served := turbo_sim.fn_served(p_tenant, p_read, p_domains, p_builder);
    PERFORM set_config('turbo_sim.pause_key', '', false);
    RETURN v_served;
END $$;

-- Every cache row of p_reads ([{name, domains, builder}]) the read path would serve now, next to a
-- fresh build: the rows where the two differ. A read with no cache row builds fresh, so only the
-- stored rows are read. A miss stores what it built; the reads run in a block that is rolled back
-- (raising to leave it), so checking changes nothing.
CREATE FUNCTION turbo_sim.fn_stale_reads(p_reads jsonb)
RETURNS TABLE (read text, tenant uuid, served jsonb, fresh jsonb)
LANGUAGE plpgsql AS $$
DECLARE
    r record;
    v_domains text[];
    v_found jsonb := '[]';
    v_served jsonb;
    v_fresh jsonb;
BEGIN
    BEGIN
        FOR r IN SELECT c.tenant_id, c.query_type, q.value AS spec
                 FROM turbo.tb_graphql_cache c
                 JOIN jsonb_array_elements(p_reads) q ON q.value ->> 'name' = c.query_type
                 WHERE c.query_key = 'all' ORDER BY 1, 2 LOOP
            v_domains := ARRAY(SELECT jsonb_array_elements_text(r.spec -> 'domains'));
            PERFORM set_config('app.tenant_id', r.tenant_id::text, true);
            IF cardinality(v_domains) = 1 THEN
                v_served := turbo.fn_get_cached_response(r.query_type, 'all', v_domains[1], r.spec ->> 'builder', '{}'::jsonb)::jsonb;
            ELSE
                v_served := turbo.fn_get_cached_response(r.query_type, 'all', v_domains, r.spec ->> 'builder', '{}'::jsonb)::jsonb;
            END IF;
            v_fresh := turbo.fn_call_builder(r.spec ->> 'builder', '{}'::jsonb);
            IF v_served IS DISTINCT FROM v_fresh THEN
                v_found := v_found || jsonb_build_object('read', r.query_type, 'tenant', r.tenant_id, 'served', v_served, 'fresh', v_fresh);
            END IF;
        END LOOP;
        RAISE EXCEPTION USING ERRCODE = 'TS900';
    EXCEPTION WHEN SQLSTATE 'TS900' THEN
        NULL;
    END;
    RETURN QUERY SELECT f ->> 'read', (f ->> 'tenant')::uuid, f -> 'served', f -> 'fresh'
                 FROM jsonb_array_elements(v_found) f;
END $$;

-- A fresh build of p_builder as p_tenant (never paused: it sets no pause key).
CREATE FUNCTION turbo_sim.fn_fresh_build(p_tenant uuid, p_builder text) RETURNS jsonb
LANGUAGE plpgsql AS $$
BEGIN
    PERFORM set_config('app.tenant_id', p_tenant::text, false);
    RETURN turbo.fn_call_builder(p_builder, '{}'::jsonb);
END $$;
