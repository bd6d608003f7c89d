-- mutant statement-timestamp-identity: the seed's statement key. A (tenant, domain) a statement
-- bumps is skipped when an earlier statement with the same statement_timestamp() bumped it, so
-- statements in one message or DO block (and, in PGlite, within one millisecond) count as one.
ALTER FUNCTION turbo.fn_robust_write_versions(uuid[], text[], text) RENAME TO mutant_write_all;

CREATE FUNCTION turbo.fn_robust_write_versions(p_tenants uuid[], p_domains text[], p_summary text) RETURNS void
LANGUAGE plpgsql AS $$
DECLARE
    v_ts text := statement_timestamp()::text;
    v_seen text[] := CASE WHEN current_setting('turbo.mutant_ts', true) = v_ts
                          THEN string_to_array(current_setting('turbo.mutant_seen', true), ',') ELSE '{}' END;
    v_tenants uuid[];
    v_domains text[];
BEGIN
    SELECT array_agg(t), array_agg(d) INTO v_tenants, v_domains
    FROM unnest(p_tenants, p_domains) AS u(t, d) WHERE NOT (t::text || '/' || d = ANY (v_seen));
    PERFORM turbo.mutant_write_all(v_tenants, v_domains, p_summary);
    PERFORM set_config('turbo.mutant_ts', v_ts, false);
    PERFORM set_config('turbo.mutant_seen', array_to_string(v_seen || ARRAY(
        SELECT t::text || '/' || d FROM unnest(v_tenants, v_domains) AS u(t, d)), ','), false);
END $$;
