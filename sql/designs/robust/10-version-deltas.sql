-- design robust: robust-hot-row's statement counting (every file of sql/designs/robust-hot-row runs
-- first), with each bump appended as a row of its own instead of added to one hot row.
--
-- Why. robust-hot-row bumps with INSERT ... ON CONFLICT DO UPDATE on the one row of each (tenant,
-- domain), and a transaction keeps that row locked until it ends. Each statement locks its rows in
-- one order, but two transactions of several statements lock them statement after statement, so
-- they deadlock whenever they meet the same pairs in another order (`turbo-sim concurrency
-- --workload random` on PostgreSQL 15: hundreds of deadlocks for 8 sessions x 100 steps,
-- docs/defects.md). Deferring the bumps to COMMIT (design deferred) removes the locks but hides a
-- transaction's bumps from itself. Here a bump is an INSERT of a row (tenant, domain, version 1)
-- into turbo.tb_domain_version_delta: a plain insert with no unique index waits for no other
-- writer, and the transaction sees its own rows at once.
--
-- What turbo.tb_domain_version becomes. The delta table INHERITS from turbo.tb_domain_version, so
-- the version table, read the way the base layer reads it, is the base rows plus the deltas: a pair's
-- version is the sum of `version` over its rows in turbo.tb_domain_version (turbo.v_domain_version,
-- the base layer's one documented way to read versions, does that sum). The base layer's read path
-- (turbo.fn_domains_version, a sum over the table) needs no change, nor does anything that empties
-- the table: DELETE and TRUNCATE reach the inheriting table too. A view named tb_domain_version
-- was the other candidate; it would have needed a new home for the base rows, and every DELETE or
-- TRUNCATE of the version table (the harness's reset, an operator's) to learn the design's tables.
-- The price: a query that reads one row per pair without summing sees several rows for a pair
-- with deltas; read turbo.v_domain_version or turbo.fn_domains_version instead.
--
-- The base rows (turbo.tb_domain_version itself) are written only by the compaction below, which
-- folds committed deltas into them. Nothing else locks them, so no writer ever waits on a version.

CREATE TABLE turbo.tb_domain_version_delta () INHERITS (turbo.tb_domain_version);

-- The reads of one pair (the read path, the history row's version below, the compaction's lookup).
CREATE INDEX idx_domain_version_delta_pair ON turbo.tb_domain_version_delta (tenant_id, domain);

-- Folds every committed delta (and the caller's own) into the base rows, and says how many pairs
-- it folded. One statement deletes the deltas and adds them to the base rows: a reader's snapshot
-- sees either the deltas or the base rows that include them, never both or neither, so no reader
-- sees a version go down (or up and back). Deltas of transactions still running are invisible to
-- the DELETE and stay for a later compaction.
--
-- Safe under concurrency: one compaction at a time, by a transaction-level advisory lock taken
-- without waiting (a compaction that finds it taken does nothing: the other one will fold the
-- deltas, or a later one), and the base rows are upserted in (tenant, domain) order. A writer never
-- locks a base row, so the compaction's row locks, held until its transaction ends, make no one
-- wait but another compaction, which the advisory lock already keeps out. It runs only under READ
-- COMMITTED: under REPEATABLE READ or SERIALIZABLE the transaction's snapshot may still show deltas a
-- compaction committed since, and deleting them again would fail the caller's statement with a
-- serialization error; the next READ COMMITTED writer (or a scheduled call) folds them instead.
--
-- Call it any time (from a scheduled job, or after a bulk load); writers call it every so often
-- (turbo.sq_robust_compaction below).
CREATE FUNCTION turbo.fn_robust_compact() RETURNS bigint
LANGUAGE plpgsql AS $$
DECLARE
    v_pairs bigint;
BEGIN
    -- The key (7012, 1) is arbitrary: it only has to differ from the application's own advisory locks.
    IF current_setting('transaction_isolation') <> 'read committed' OR NOT pg_try_advisory_xact_lock(7012, 1) THEN
        RETURN 0;
    END IF;
    WITH folded AS (
        DELETE FROM turbo.tb_domain_version_delta
        RETURNING tenant_id, domain, version, last_modified, modified_by, change_summary
    )
    INSERT INTO turbo.tb_domain_version AS v (tenant_id, domain, version, last_modified, modified_by, change_summary)
    SELECT tenant_id, domain, sum(version), max(last_modified),
           (array_agg(modified_by ORDER BY last_modified DESC))[1], (array_agg(change_summary ORDER BY last_modified DESC))[1]
    FROM folded
    GROUP BY tenant_id, domain
    ORDER BY tenant_id, domain
    ON CONFLICT (tenant_id, domain) DO UPDATE
    SET version = v.version + EXCLUDED.version,
        last_modified = EXCLUDED.last_modified,
        modified_by = EXCLUDED.modified_by,
        change_summary = EXCLUDED.change_summary;
    GET DIAGNOSTICS v_pairs = ROW_COUNT;
    RETURN v_pairs;
END $$;

-- How often writers compact: the statement whose bump draws 1 from this cycling sequence compacts,
-- one bumping statement in every MAXVALUE. A sequence is drawn without waiting for anyone, costs a
-- couple of microseconds, and gives the same statements in the same order on every run; ALTER
-- SEQUENCE ... MAXVALUE changes the period, and INCREMENT 64 makes every draw 1 (a compaction after
-- every bumping statement, as a test does). 64 keeps the deltas a read adds up to a few dozen a pair.
CREATE SEQUENCE turbo.sq_robust_compaction MINVALUE 1 MAXVALUE 64 START 2 CYCLE;

-- The bump, as robust-hot-row's fn_robust_bump_sql defines it (the PL/pgSQL that bumps the
-- distinct (t uuid, d text) rows of p_from with change summary p_summary), now an insert of one
-- delta row per pair. The history row (written by the same statement, as robust-hot-row does)
-- carries the version the bump made as its own transaction sees it: the pair's sum before the
-- statement, plus one. Two transactions bumping one pair at once both see the same sum before, so
-- their history rows may carry the same version; the versions themselves add up exactly.
CREATE OR REPLACE FUNCTION turbo.fn_robust_bump_sql(p_from text, p_summary text) RETURNS text
LANGUAGE sql IMMUTABLE AS $$
    SELECT format($q$WITH bumped AS (
        INSERT INTO turbo.tb_domain_version_delta (tenant_id, domain, version, last_modified, modified_by, change_summary)
        SELECT t, d, 1, now(), current_setting('app.user_id', true), %2$s
        FROM %1$s
        RETURNING tenant_id, domain, modified_by, change_summary
    )
    INSERT INTO turbo.tb_domain_version_history (tenant_id, domain, version, modified_by, change_summary)
    SELECT b.tenant_id, b.domain,
           (SELECT coalesce(sum(v.version), 0) + 1 FROM turbo.tb_domain_version AS v
            WHERE v.tenant_id = b.tenant_id AND v.domain = b.domain),
           b.modified_by, b.change_summary
    FROM bumped AS b;
    IF nextval('turbo.sq_robust_compaction') = 1 THEN
        PERFORM turbo.fn_robust_compact();
    END IF$q$, p_from, p_summary)
$$;

SELECT turbo.fn_robust_define_bump();
SELECT turbo.fn_robust_define_after();
