-- mutant per-row-no-dedup: every row bumps its domain and the cascade targets. A 100-row INSERT
-- bumps 100 times: EXTRA. The baseline the published claims compare against.
CREATE FUNCTION turbo.mutant_bump_row(p_tenant uuid, p_domain text) RETURNS void
LANGUAGE sql AS $$
    INSERT INTO turbo.tb_domain_version AS v (tenant_id, domain, version)
    SELECT p_tenant, d, 1
    FROM (SELECT p_domain UNION SELECT target_domain FROM turbo.tb_domain_dependency WHERE source_domain = p_domain) AS g(d)
    ON CONFLICT (tenant_id, domain) DO UPDATE SET version = v.version + 1
$$;

CREATE FUNCTION turbo.mutant_row_trigger() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP <> 'DELETE' THEN
        PERFORM turbo.mutant_bump_row(NEW.tenant_id, regexp_replace(TG_TABLE_NAME, '^tv_', ''));
    END IF;
    IF TG_OP = 'DELETE' OR (TG_OP = 'UPDATE' AND OLD.tenant_id IS DISTINCT FROM NEW.tenant_id) THEN
        PERFORM turbo.mutant_bump_row(OLD.tenant_id, regexp_replace(TG_TABLE_NAME, '^tv_', ''));
    END IF;
    RETURN NULL;
END $$;

SELECT turbo.fn_for_each_tv_table('CREATE TRIGGER mutant_per_row AFTER INSERT OR UPDATE OR DELETE ON %1$s
    FOR EACH ROW EXECUTE FUNCTION turbo.mutant_row_trigger()');
