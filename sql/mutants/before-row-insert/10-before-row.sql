-- mutant before-row-insert: the INSERT's tenants collected row by row before each row is written,
-- as a design that bumps from BEFORE ROW triggers does. It holds for every INSERT that writes all
-- its rows (and for upserts, whose conflicting rows are updated to the tenant they bring), and
-- bumps a tenant no row reached when ON CONFLICT DO NOTHING skips its row. (robust's AFTER trigger
-- still adds the tenants of the rows written, which the collected ones already include.)
CREATE FUNCTION turbo.fn_robust_before_insert_row() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    PERFORM turbo.fn_robust_collect(turbo.fn_robust_targets_of(regexp_replace(TG_TABLE_NAME, '^tv_', '')), ARRAY[NEW.tenant_id]);
    RETURN NEW;
END $$;

SELECT turbo.fn_for_each_tv_table('CREATE TRIGGER tr_robust_1_before_insert_row BEFORE INSERT ON %1$s
    FOR EACH ROW EXECUTE FUNCTION turbo.fn_robust_before_insert_row()');
