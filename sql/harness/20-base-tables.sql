-- Harness only (never part of `turbo-sim sql`): base tables, the tb_ tables an application writes,
-- and the three ways FraiseQL-style applications copy them into tv_ tables. Each tv_ table gets:
--   tb_row_<domain>   an AFTER ROW trigger: every base row written runs its own tv_ statement;
--   tb_stmt_<domain>  AFTER STATEMENT triggers reading the transition table: one tv_ statement per
--                     base statement, even one that wrote no row;
--   tb_fn_<domain>    no trigger: turbo_sim.fn_mutate writes it, then calls turbo_sim.fn_sync.
-- A design sees only the tv_ statements. The model (src/model/base-tables.ts) says what each touches.

-- Makes the tv_ rows of p_ids equal the rows of p_base: one MERGE, so one tv_ statement whatever
-- the number of ids (a row gone from the base table is deleted, any other upserted).
CREATE FUNCTION turbo_sim.fn_sync(p_domain text, p_base text, p_ids bigint[]) RETURNS void
LANGUAGE plpgsql AS $$
BEGIN
    EXECUTE format(
        'MERGE INTO %1$I t
         USING (SELECT i.id, b.tenant_id, b.data FROM unnest($1) AS i(id) LEFT JOIN %2$I b ON b.id = i.id) s
         ON t.id = s.id
         WHEN MATCHED AND s.tenant_id IS NULL THEN DELETE
         WHEN MATCHED THEN UPDATE SET tenant_id = s.tenant_id, data = s.data
         WHEN NOT MATCHED AND s.tenant_id IS NOT NULL THEN INSERT (id, tenant_id, data) VALUES (s.id, s.tenant_id, s.data)',
        'tv_' || p_domain, p_base) USING p_ids;
END $$;

-- A mutation function: runs one write on the domain's tb_fn_ table, then syncs the rows it wrote.
CREATE FUNCTION turbo_sim.fn_mutate(p_domain text, p_write text) RETURNS void
LANGUAGE plpgsql AS $$
DECLARE
    v_ids bigint[];
BEGIN
    EXECUTE format('WITH w AS (%s RETURNING id) SELECT array_agg(id) FROM w', p_write) INTO v_ids;
    PERFORM turbo_sim.fn_sync(p_domain, 'tb_fn_' || p_domain, coalesce(v_ids, '{}'));
END $$;

-- The row-level sync, as applications write it: an upsert or a delete of the one row.
CREATE FUNCTION turbo_sim.fn_sync_row() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
    v_tv text := 'tv_' || TG_ARGV[0];
BEGIN
    IF TG_OP = 'DELETE' THEN
        EXECUTE format('DELETE FROM %I WHERE id = $1', v_tv) USING OLD.id;
    ELSE
        EXECUTE format('INSERT INTO %I (id, tenant_id, data) VALUES ($1, $2, $3)
            ON CONFLICT (id) DO UPDATE SET tenant_id = EXCLUDED.tenant_id, data = EXCLUDED.data', v_tv)
            USING NEW.id, NEW.tenant_id, NEW.data;
    END IF;
    RETURN NULL;
END $$;

-- The statement-level sync: the ids of the transition table, whichever event's (each trigger names
-- its table changed_rows).
CREATE FUNCTION turbo_sim.fn_sync_statement() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    PERFORM turbo_sim.fn_sync(TG_ARGV[0], TG_TABLE_NAME, ARRAY(SELECT id FROM changed_rows));
    RETURN NULL;
END $$;

CREATE FUNCTION turbo_sim.fn_create_base_tables(p_domain text) RETURNS void
LANGUAGE plpgsql AS $$
DECLARE
    v_kind text;
    v_table text;
BEGIN
    FOREACH v_kind IN ARRAY ARRAY['row', 'stmt', 'fn'] LOOP
        v_table := format('tb_%s_%s', v_kind, p_domain);
        EXECUTE format('CREATE TABLE %I (id bigint PRIMARY KEY, tenant_id uuid NOT NULL, data jsonb NOT NULL)', v_table);
    END LOOP;
    EXECUTE format('CREATE TRIGGER tr_sync AFTER INSERT OR UPDATE OR DELETE ON %I
        FOR EACH ROW EXECUTE FUNCTION turbo_sim.fn_sync_row(%L)', 'tb_row_' || p_domain, p_domain);
    FOREACH v_kind IN ARRAY ARRAY['INSERT NEW', 'UPDATE NEW', 'DELETE OLD'] LOOP
        EXECUTE format('CREATE TRIGGER %I AFTER %s ON %I REFERENCING %s TABLE AS changed_rows
            FOR EACH STATEMENT EXECUTE FUNCTION turbo_sim.fn_sync_statement(%L)',
            'tr_sync_' || lower(split_part(v_kind, ' ', 1)), split_part(v_kind, ' ', 1),
            'tb_stmt_' || p_domain, split_part(v_kind, ' ', 2), p_domain);
    END LOOP;
END $$;

SELECT turbo.fn_for_each_tv_table('SELECT turbo_sim.fn_create_base_tables(%2$L)');
