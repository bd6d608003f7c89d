-- design robust: bump each (tenant, domain) a statement touched, and its cascade targets, once.
--
-- One INSERT ... ON CONFLICT per call, rows in (tenant, domain) order so that concurrent writers
-- lock version rows in the same order whichever table they write (no deadlock between a contract
-- writer and a contract_item writer). Pairs this statement already bumped are skipped, and the
-- pairs bumped now are added to turbo.statement together with the phase p_phase ('-' from an AFTER
-- trigger, '+' from BEFORE TRUNCATE, whose statement is still open): one set_config per call.
CREATE FUNCTION turbo.fn_robust_bump(p_domain text, p_tenants uuid[], p_op text, p_phase text) RETURNS void
LANGUAGE plpgsql AS $$
DECLARE
    v_done text := substr(coalesce(current_setting('turbo.statement', true), ''), 2);
    v_new text;
BEGIN
    IF coalesce(cardinality(p_tenants), 0) > 0 THEN
        WITH targets AS (
            SELECT DISTINCT t.tenant_id, g.domain
            FROM unnest(p_tenants) AS t(tenant_id)
            CROSS JOIN (
                SELECT p_domain
                UNION
                SELECT target_domain FROM turbo.tb_domain_dependency WHERE source_domain = p_domain
            ) AS g(domain)
            WHERE v_done = '' OR NOT (t.tenant_id::text || ':' || g.domain = ANY (string_to_array(v_done, ',')))
        ), bumped AS (
            INSERT INTO turbo.tb_domain_version AS v (tenant_id, domain, version, last_modified, modified_by, change_summary)
            SELECT tenant_id, domain, 1, now(), current_setting('app.user_id', true), format('%s on tv_%s', p_op, p_domain)
            FROM targets
            ORDER BY tenant_id, domain
            ON CONFLICT (tenant_id, domain) DO UPDATE
            SET version = v.version + 1,
                last_modified = EXCLUDED.last_modified,
                modified_by = EXCLUDED.modified_by,
                change_summary = EXCLUDED.change_summary
            RETURNING v.tenant_id::text || ':' || v.domain AS k
        )
        SELECT string_agg(k, ',') INTO v_new FROM bumped;
    END IF;
    PERFORM set_config('turbo.statement', p_phase || concat_ws(',', nullif(v_done, ''), v_new), false);
END $$;
