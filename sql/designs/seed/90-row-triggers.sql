-- design seed: the published AFTER ROW trigger on every tv_ table.
-- The document shows the CREATE TRIGGER for one table at a time; this attaches the same trigger to
-- every tv_ table of the domain graph that the base layer created.
DO $$
DECLARE
    t record;
BEGIN
    FOR t IN
        SELECT c.relname
        FROM pg_class c
        WHERE c.relkind = 'r' AND c.relname LIKE 'tv\_%' AND pg_table_is_visible(c.oid)
        ORDER BY c.relname
    LOOP
        EXECUTE format(
            'CREATE TRIGGER %I AFTER INSERT OR UPDATE OR DELETE ON %I
             FOR EACH ROW EXECUTE FUNCTION turbo.fn_tv_table_cache_invalidation()',
            'tr_' || regexp_replace(t.relname, '^tv_', '') || '_cache_invalidation', t.relname);
    END LOOP;
END $$;
