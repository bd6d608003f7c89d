-- mutant new-tenant-only: the seed's COALESCE(NEW.tenant_id, OLD.tenant_id), at statement level.
CREATE FUNCTION turbo.fn_mutant_after_update_new_rows() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    PERFORM turbo.fn_robust_after(TG_RELID::text || TG_OP, TG_ARGV, ARRAY(SELECT DISTINCT tenant_id FROM new_rows));
    RETURN NULL;
END $$;

SELECT turbo.fn_robust_redefine('tr_robust_after_update', 'fn_robust_after_update', 'fn_mutant_after_update_new_rows');
