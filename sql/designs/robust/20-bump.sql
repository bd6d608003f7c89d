-- design robust: bump each (tenant, domain) a statement touched, and its cascade targets, once.
--
-- p_pairs: 'tenant/domain' items, comma-separated, repeats allowed. One INSERT ... ON CONFLICT for
-- the whole statement, rows in (tenant, domain) order, so that concurrent statements lock version
-- rows in the same order whatever tables they write: single statements never deadlock on them.
-- PL/pgSQL rather than a LANGUAGE sql function: it keeps the INSERT's plan for the session.
-- The pairs of p_pairs, each once, and their cascade targets: one row per (pair, source domain).
CREATE FUNCTION turbo.fn_robust_targets(p_pairs text)
RETURNS TABLE (tenant_id uuid, domain text, source text)
LANGUAGE sql STABLE AS $$
    WITH touched AS (
        SELECT DISTINCT split_part(p, '/', 1)::uuid AS tenant_id, split_part(p, '/', 2) AS domain
        FROM unnest(string_to_array(p_pairs, ',')) AS p
    )
    SELECT tenant_id, domain, domain FROM touched
    UNION ALL
    SELECT t.tenant_id, d.target_domain, t.domain
    FROM touched t JOIN turbo.tb_domain_dependency d ON d.source_domain = t.domain
$$;

CREATE FUNCTION turbo.fn_robust_bump(p_pairs text) RETURNS void
LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO turbo.tb_domain_version AS v (tenant_id, domain, version, last_modified, modified_by, change_summary)
    SELECT t.tenant_id, t.domain, 1, now(), current_setting('app.user_id', true),
           'write to ' || string_agg(DISTINCT 'tv_' || t.source, ', ' ORDER BY 'tv_' || t.source)
    FROM turbo.fn_robust_targets(p_pairs) AS t
    GROUP BY t.tenant_id, t.domain
    ORDER BY t.tenant_id, t.domain
    ON CONFLICT (tenant_id, domain) DO UPDATE
    SET version = v.version + 1,
        last_modified = EXCLUDED.last_modified,
        modified_by = EXCLUDED.modified_by,
        change_summary = EXCLUDED.change_summary;
END $$;
