-- mutant statement-timestamp-identity: the seed's statement key. A (tenant, domain) a statement
-- touches is skipped when an earlier statement with the same statement_timestamp() touched it, so
-- statements in one message or DO block (and, in PGlite, within one millisecond) count as one.
ALTER FUNCTION turbo.fn_robust_bump(text) RENAME TO mutant_bump_all;

CREATE FUNCTION turbo.fn_robust_bump(p_pairs text) RETURNS void
LANGUAGE plpgsql AS $$
DECLARE
    v_ts text := statement_timestamp()::text;
    v_seen text[] := CASE WHEN current_setting('turbo.mutant_ts', true) = v_ts
                          THEN string_to_array(current_setting('turbo.mutant_seen', true), ',') ELSE '{}' END;
    v_new text[] := ARRAY(SELECT DISTINCT p FROM unnest(string_to_array(p_pairs, ',')) AS p
                          WHERE NOT (p = ANY (v_seen)));
BEGIN
    PERFORM turbo.mutant_bump_all(array_to_string(v_new, ','));
    PERFORM set_config('turbo.mutant_ts', v_ts, false);
    PERFORM set_config('turbo.mutant_seen', array_to_string(v_seen || v_new, ','), false);
END $$;

-- robust's single-table statements bump through fn_robust_bump_domain: route them through the above.
CREATE OR REPLACE FUNCTION turbo.fn_robust_bump_domain(p_domain text, p_tenants uuid[]) RETURNS void
LANGUAGE plpgsql AS $$
BEGIN
    PERFORM turbo.fn_robust_bump(turbo.fn_robust_add_pairs('', p_domain, p_tenants));
END $$;
