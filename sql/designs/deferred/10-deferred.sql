-- design deferred: an experiment on the limit in docs/defects.md ("transactions of several
-- statements"). robust bumps each statement's version rows inside the writer's transaction, so a
-- transaction holds them locked until it ends and two transactions touching the same pairs in
-- different orders deadlock. Here each statement's pairs (counted once per statement, cascade
-- included, exactly as robust counts them) are only remembered, and a deferred constraint trigger
-- applies them all at COMMIT, sorted by (tenant, domain), each version + the number of statements
-- that touched it. Version rows are then locked only while committing, always in one order.
--
-- The price: until COMMIT, turbo.tb_domain_version does not show the transaction's own bumps, which
-- the bump properties read after every statement (they report MISSED inside explicit transactions).
-- The cache stays coherent because the read path below adds the session's pending bumps.
--
-- Kept simple for the experiment: the pending pairs are one session setting that grows by a few
-- items per statement, so a transaction of very many statements pays for copying it (1000
-- statements: 181 ms against robust's 199 ms; far more would want a temporary table of counts).

-- One row per transaction that bumped something: its insert queues the deferred trigger once.
CREATE TABLE turbo.tb_deferred_commit (txid xid8 PRIMARY KEY);

-- Every bump robust makes, whichever path made it, is one row proposed to turbo.tb_domain_version,
-- with each of a statement's pairs once: a BEFORE INSERT row trigger (INSERT ... ON CONFLICT fires it
-- for every proposed row) remembers it for COMMIT and skips it. The COMMIT's own bumps pass.
CREATE FUNCTION turbo.fn_deferred_remember() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    IF current_setting('turbo.deferred_applying', true) = 'on' THEN
        RETURN NEW;
    END IF;
    PERFORM set_config('turbo.pending_bumps',
        concat_ws(',', nullif(current_setting('turbo.pending_bumps', true), ''), NEW.tenant_id::text || '/' || NEW.domain), false);
    INSERT INTO turbo.tb_deferred_commit VALUES (pg_current_xact_id()) ON CONFLICT DO NOTHING;
    RETURN NULL;
END $$;

CREATE TRIGGER tr_deferred_remember BEFORE INSERT ON turbo.tb_domain_version
FOR EACH ROW EXECUTE FUNCTION turbo.fn_deferred_remember();

-- The bumps at COMMIT go through the base layer's history trigger, which robust turns off because
-- its own bump statement writes the history rows.
ALTER TABLE turbo.tb_domain_version ENABLE TRIGGER tr_domain_version_history;

-- At COMMIT: every pending pair, version + its count, in (tenant, domain) order.
CREATE FUNCTION turbo.fn_deferred_apply() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    PERFORM set_config('turbo.deferred_applying', 'on', true);
    INSERT INTO turbo.tb_domain_version AS v (tenant_id, domain, version, last_modified, modified_by, change_summary)
    SELECT split_part(p, '/', 1)::uuid, split_part(p, '/', 2), count(*), now(), current_setting('app.user_id', true),
           count(*) || ' statement(s) at commit'
    FROM unnest(string_to_array(nullif(current_setting('turbo.pending_bumps', true), ''), ',')) AS p
    GROUP BY 1, 2
    ORDER BY 1, 2
    ON CONFLICT (tenant_id, domain) DO UPDATE
    SET version = v.version + EXCLUDED.version,
        last_modified = EXCLUDED.last_modified,
        modified_by = EXCLUDED.modified_by,
        change_summary = EXCLUDED.change_summary;
    PERFORM set_config('turbo.deferred_applying', '', true);
    PERFORM set_config('turbo.pending_bumps', '', false);
    DELETE FROM turbo.tb_deferred_commit WHERE txid = NEW.txid;
    RETURN NULL;
END $$;

CREATE CONSTRAINT TRIGGER tr_deferred_apply AFTER INSERT ON turbo.tb_deferred_commit
DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION turbo.fn_deferred_apply();

-- The read path sees the session's own pending bumps, so a read after a write in the same
-- transaction misses, and the response it caches carries the version COMMIT will make current.
CREATE OR REPLACE FUNCTION turbo.fn_domains_version(p_tenant uuid, p_domains text[]) RETURNS bigint
LANGUAGE sql STABLE AS $$
    SELECT coalesce((SELECT sum(version) FROM turbo.tb_domain_version
                     WHERE tenant_id = p_tenant AND domain = ANY (p_domains)), 0)::bigint
         + (SELECT count(*) FROM unnest(string_to_array(nullif(current_setting('turbo.pending_bumps', true), ''), ',')) AS p
            WHERE split_part(p, '/', 1) = p_tenant::text AND split_part(p, '/', 2) = ANY (p_domains))
$$;
