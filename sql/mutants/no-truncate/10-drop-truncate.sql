-- mutant no-truncate: the seed's blind spot, TRUNCATE fires no row-level trigger.
DO $$
DECLARE t regclass;
BEGIN
    FOR t IN SELECT c.oid::regclass FROM pg_class c
             WHERE c.relkind = 'r' AND c.relname LIKE 'tv\_%' AND pg_table_is_visible(c.oid)
    LOOP
        EXECUTE format('DROP TRIGGER tr_robust_1_before_truncate ON %s', t);
    END LOOP;
END $$;
