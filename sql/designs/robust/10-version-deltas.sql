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

-- Folds every committed delta (and the caller's own) into the base rows, writes their history
-- rows, and says how many bumps it folded. One statement deletes the deltas and adds them to the
-- base rows: a reader's snapshot sees either the deltas or the base rows that include them, never
-- both or neither, so no reader sees a version go down (or up and back). Deltas of transactions
-- still running are invisible to the DELETE and stay for a later compaction.
--
-- The audit rows (the base layer's turbo.tb_domain_version_history, one per bump) are written here
-- rather than by each bump: compactions follow one another, so each folded bump gets the next
-- version of its pair, exact and unique, where two bumps made at once could only have guessed it;
-- and the bump itself stays one insert. A history row carries the time of its bump
-- (modified_at = the delta's last_modified) but appears only once its bump is folded: call this
-- function first to see the latest. The base layer's per-row history trigger stays off (as
-- robust-hot-row leaves it), so folding writes no history of its own.
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
-- (turbo.fn_robust_compact_after below).
CREATE FUNCTION turbo.fn_robust_compact() RETURNS bigint
LANGUAGE plpgsql AS $$
DECLARE
    v_bumps bigint;
BEGIN
    -- The key (7012, 1) is arbitrary: it only has to differ from the application's own advisory locks.
    IF current_setting('transaction_isolation') <> 'read committed' OR NOT pg_try_advisory_xact_lock(7012, 1) THEN
        RETURN 0;
    END IF;
    WITH folded AS (
        DELETE FROM turbo.tb_domain_version_delta
        RETURNING tenant_id, domain, last_modified, modified_by, change_summary
    ), bumps AS (
        SELECT f.*, row_number() OVER w AS nth, count(*) OVER w AS n
        FROM folded AS f
        WINDOW w AS (PARTITION BY tenant_id, domain ORDER BY last_modified ROWS BETWEEN UNBOUNDED PRECEDING AND UNBOUNDED FOLLOWING)
    ), base AS (
        INSERT INTO turbo.tb_domain_version AS v (tenant_id, domain, version, last_modified, modified_by, change_summary)
        SELECT tenant_id, domain, n, last_modified, modified_by, change_summary
        FROM bumps
        WHERE nth = n
        ORDER BY tenant_id, domain
        ON CONFLICT (tenant_id, domain) DO UPDATE
        SET version = v.version + EXCLUDED.version,
            last_modified = EXCLUDED.last_modified,
            modified_by = EXCLUDED.modified_by,
            change_summary = EXCLUDED.change_summary
        RETURNING v.tenant_id, v.domain, v.version
    )
    INSERT INTO turbo.tb_domain_version_history (tenant_id, domain, version, modified_at, modified_by, change_summary)
    SELECT b.tenant_id, b.domain, base.version - b.n + b.nth, b.last_modified, b.modified_by, b.change_summary
    FROM bumps AS b JOIN base USING (tenant_id, domain)
    ORDER BY b.tenant_id, b.domain, b.nth;
    GET DIAGNOSTICS v_bumps = ROW_COUNT;
    RETURN v_bumps;
END $$;

-- How many deltas make a writer compact: a bumping statement that then sees at least this many
-- (its own included) calls turbo.fn_robust_compact, once per transaction. Counting stops at the
-- threshold, and depends on nothing but the rows, so the same workload folds at the same statements
-- on every run and in its replay. 64 keeps the deltas a read adds up to a few dozen.
--
-- The count walks the pair index, not the table (ORDER BY its columns, and a column the index
-- lacks, so that it is a plain index scan). Every folded delta leaves a dead row behind, and where
-- no autovacuum runs (PGlite) nothing gives their pages back: a sequential scan walked all of them
-- from the table's first page on every bumping statement, 42 pages after 3,000 single-row INSERTs
-- into tv_contract and growing, which made robust's single-row statements slower than
-- robust-hot-row's on PGlite. A plain index scan marks the index entries of dead rows as dead the
-- first time it meets them, and an insert into a full index page drops the marked entries before it
-- splits the page: the count read 2 index pages at the same point. (An index-only scan would
-- not mark them: it read 14 pages and fetched 12,000 heap rows.)
--
-- Once per transaction (a transaction-local setting): the rows a transaction deletes stay in the
-- table until it ends, and a long transaction that folded its own deltas again and again made every
-- later statement scan all of them: 1000 single-row INSERTs in one DO block took twice as long as
-- robust-hot-row's (PGlite). A second fold in one transaction would only fold its own later
-- deltas, which no other session sees before COMMIT anyway.
-- An IMMUTABLE SQL function of a constant is folded into the plan that calls it, so it costs
-- nothing at run time; a design replaces it before the first write to change the threshold (1:
-- after every bumping statement, as a test does).
CREATE FUNCTION turbo.fn_robust_compact_after() RETURNS bigint
LANGUAGE sql IMMUTABLE AS $$ SELECT 64::bigint $$;

-- The bump, as robust-hot-row's fn_robust_bump_sql defines it (the PL/pgSQL that bumps the
-- distinct (t uuid, d text) rows of p_from with change summary p_summary), now an insert of one
-- delta row (version 1) per pair, and every so often a compaction.
CREATE OR REPLACE FUNCTION turbo.fn_robust_bump_sql(p_from text, p_summary text) RETURNS text
LANGUAGE sql IMMUTABLE AS $$
    SELECT format($q$INSERT INTO turbo.tb_domain_version_delta (tenant_id, domain, version, last_modified, modified_by, change_summary)
    SELECT t, d, 1, now(), current_setting('app.user_id', true), %2$s
    FROM %1$s;
    IF current_setting('turbo.robust_folding', true) IS DISTINCT FROM 'on'
       AND EXISTS (SELECT version FROM turbo.tb_domain_version_delta ORDER BY tenant_id, domain
                   OFFSET turbo.fn_robust_compact_after() - 1) THEN
        PERFORM set_config('turbo.robust_folding', 'on', true);
        PERFORM turbo.fn_robust_compact();
    END IF$q$, p_from, p_summary)
$$;

SELECT turbo.fn_robust_define_bump();
SELECT turbo.fn_robust_define_after();
