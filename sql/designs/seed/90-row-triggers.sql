-- design seed: the published AFTER ROW trigger on every tv_ table.
-- The document shows the CREATE TRIGGER for one table at a time; this attaches the same trigger to
-- every tv_ table of the domain graph that the base layer created.
SELECT turbo.fn_for_each_tv_table(
    'CREATE TRIGGER tr_%2$s_cache_invalidation AFTER INSERT OR UPDATE OR DELETE ON %1$s
     FOR EACH ROW EXECUTE FUNCTION turbo.fn_tv_table_cache_invalidation()');
