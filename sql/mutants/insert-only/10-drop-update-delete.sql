-- mutant insert-only: a trigger declared AFTER INSERT only.
DO $$
DECLARE t regclass;
BEGIN
    FOR t IN SELECT c.oid::regclass FROM pg_class c
             WHERE c.relkind = 'r' AND c.relname LIKE 'tv\_%' AND pg_table_is_visible(c.oid)
    LOOP
        EXECUTE format('DROP TRIGGER tr_robust_after_update ON %s', t);
        EXECUTE format('DROP TRIGGER tr_robust_after_delete ON %s', t);
    END LOOP;
END $$;
