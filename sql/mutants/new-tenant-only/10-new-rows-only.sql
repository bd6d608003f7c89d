-- mutant new-tenant-only: the seed's COALESCE(NEW.tenant_id, OLD.tenant_id), at statement level.
CREATE OR REPLACE FUNCTION turbo.fn_robust_after_update() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    PERFORM turbo.fn_robust_after(TG_RELID::text || TG_OP, regexp_replace(TG_TABLE_NAME, '^tv_', ''),
        ARRAY(SELECT DISTINCT tenant_id FROM new_rows));
    RETURN NULL;
END $$;
