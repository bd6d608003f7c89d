-- design robust-hot-row (robust extends it): bump each (tenant, domain) a statement touched, and its cascade targets, once.
--
-- One INSERT ... ON CONFLICT for the whole statement, rows in (tenant, domain) order, so that
-- concurrent statements lock version rows in the same order whatever tables they write: single
-- statements never deadlock on them.
--
-- The audit row of each bump (the base layer's turbo.tb_domain_version_history) is written by the
-- same statement from its RETURNING rows, and the base layer's per-row history trigger is off: the
-- same rows for the same bumps, but one insert per statement instead of a PL/pgSQL trigger call and
-- an insert per version row. Measured on 500 single-row INSERTs into tv_contract (four version rows
-- each), the per-row history trigger was about a third of robust's cost.
--
-- The statement is written once, here, and run from two places: the AFTER trigger of a statement of
-- one table and one event, straight from its transition table (30-triggers.sql), and fn_robust_bump
-- below, from the pending pairs of any other statement. It is spliced into both at install, not
-- called: the transition tables are visible only inside the trigger function itself, and a second
-- function call plus the array of tenants passed to it cost about 60 microseconds of a single-row
-- INSERT's 330 over no trigger on PGlite.

-- The bump statement, bumping the distinct (t uuid, d text) rows of p_from, with change summary
-- p_summary (both SQL text).
CREATE FUNCTION turbo.fn_robust_bump_sql(p_from text, p_summary text) RETURNS text
LANGUAGE sql IMMUTABLE AS $$
    SELECT format($q$WITH bumped AS (
        INSERT INTO turbo.tb_domain_version AS v (tenant_id, domain, version, last_modified, modified_by, change_summary)
        SELECT t, d, 1, now(), current_setting('app.user_id', true), %2$s
        FROM %1$s
        ORDER BY t, d
        ON CONFLICT (tenant_id, domain) DO UPDATE
        SET version = v.version + 1,
            last_modified = EXCLUDED.last_modified,
            modified_by = EXCLUDED.modified_by,
            change_summary = EXCLUDED.change_summary
        RETURNING v.tenant_id, v.domain, v.version, v.modified_by, v.change_summary
    )
    INSERT INTO turbo.tb_domain_version_history (tenant_id, domain, version, modified_by, change_summary)
    SELECT * FROM bumped$q$, p_from, p_summary)
$$;

-- A domain and its cascade targets, the domain first. robust's triggers carry them as their
-- arguments (30-triggers.sql), so no statement reads turbo.tb_domain_dependency. Measured on PGlite
-- (500 single-row INSERTs into tv_contract), reading it cost about 0.1 ms of a statement's 0.3-0.4 ms.
CREATE FUNCTION turbo.fn_robust_targets_of(p_domain text) RETURNS text[]
LANGUAGE sql STABLE AS $$
    SELECT p_domain || ARRAY(SELECT target_domain FROM turbo.tb_domain_dependency WHERE source_domain = p_domain ORDER BY 1)
$$;

-- The same as the argument list of a CREATE TRIGGER.
CREATE FUNCTION turbo.fn_robust_trigger_args(p_domain text) RETURNS text
LANGUAGE sql STABLE AS $$
    SELECT string_agg(quote_literal(d), ', ' ORDER BY i) FROM unnest(turbo.fn_robust_targets_of(p_domain)) WITH ORDINALITY AS u(d, i)
$$;

-- fn_robust_bump(p_pairs): every other statement (several tables, events or tenants, or a TRUNCATE):
-- the pairs of p_pairs (<pending>, 10-statement-identity.sql) and their targets, each (tenant,
-- domain) once, at once. The change summary names every table the statement wrote.
--
-- p_pairs is read through (SELECT p_pairs) where the planner would otherwise count the items of the
-- value at hand and keep planning each call anew (see 30-triggers.sql, on the AFTER triggers).
--
-- One item needs no parsing query: the pairs of a single-row DELETE on a table whose rows another
-- table's foreign key deletes in cascade, whose nested statement on that table is open when the
-- DELETE's AFTER trigger fires, and closes last, usually with no rows of its own.
--
-- Made by fn_robust_define_bump, which a design that bumps differently runs again once it has
-- replaced fn_robust_bump_sql (robust does, design robust's 10-version-deltas.sql).
CREATE FUNCTION turbo.fn_robust_define_bump() RETURNS void
LANGUAGE plpgsql AS $do$
BEGIN
    EXECUTE format($f$CREATE OR REPLACE FUNCTION turbo.fn_robust_bump(p_pairs text) RETURNS void
LANGUAGE plpgsql AS $b$
BEGIN
    IF p_pairs = '' THEN
        RETURN;
    ELSIF strpos(p_pairs, ',') = 0 THEN
        %s;
    ELSE
        %s;
    END IF;
END $b$$f$,
        turbo.fn_robust_bump_sql(
            $s$(SELECT split_part(p_pairs, '/', 1)::uuid) AS x(t), unnest(string_to_array(split_part((SELECT p_pairs), '/', 2), ':')) AS d$s$,
            $s$'write to tv_' || split_part(split_part(p_pairs, '/', 2), ':', 1)$s$),
        turbo.fn_robust_bump_sql(
            $s$(SELECT DISTINCT split_part(p, '/', 1)::uuid, d FROM unnest(string_to_array((SELECT p_pairs), ',')) AS p,
                   unnest(string_to_array(split_part(p, '/', 2), ':')) AS d) AS x(t, d)$s$,
            $s$'write to ' || (SELECT string_agg(DISTINCT 'tv_' || split_part(split_part(p, '/', 2), ':', 1), ', ')
                               FROM unnest(string_to_array(p_pairs, ',')) AS p)$s$));
END $do$;

SELECT turbo.fn_robust_define_bump();

ALTER TABLE turbo.tb_domain_version DISABLE TRIGGER tr_domain_version_history;
