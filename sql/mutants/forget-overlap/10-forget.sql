-- mutant forget-overlap: dedup per trigger call instead of per statement. An extra AFTER trigger,
-- named to fire before robust's own, empties the list of pairs bumped so far; a writable CTE over
-- contract and contract_item then bumps price (a target of both) twice: EXTRA.
CREATE FUNCTION turbo.mutant_forget() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    PERFORM set_config('turbo.statement', '-', false);
    RETURN NULL;
END $$;

DO $$
DECLARE t regclass;
BEGIN
    FOR t IN SELECT c.oid::regclass FROM pg_class c
             WHERE c.relkind = 'r' AND c.relname LIKE 'tv\_%' AND pg_table_is_visible(c.oid)
    LOOP
        EXECUTE format('CREATE TRIGGER tr_a_mutant_forget AFTER INSERT OR UPDATE OR DELETE ON %s
            FOR EACH STATEMENT EXECUTE FUNCTION turbo.mutant_forget()', t);
    END LOOP;
END $$;
