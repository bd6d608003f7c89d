-- mutant guard-statement-start: robust's statement start behind a recursion guard, `WHEN
-- (pg_trigger_depth() = 0)` on its BEFORE STATEMENT trigger. A client's statements open as before.
-- A foreign key's ON DELETE / ON UPDATE CASCADE runs its query from a trigger: the child table never
-- joins the open statement, so the parent's AFTER trigger bumps alone, and the child's AFTER
-- trigger, finding nothing open, bumps again: pairs both tables cascade to are bumped twice by one
-- statement.
SELECT turbo.fn_for_each_tv_table('DROP TRIGGER tr_robust_0_statement_start ON %1$s');
SELECT turbo.fn_for_each_tv_table('CREATE TRIGGER tr_robust_0_statement_start
    BEFORE INSERT OR UPDATE OR DELETE OR TRUNCATE ON %1$s
    FOR EACH STATEMENT WHEN (pg_trigger_depth() = 0) EXECUTE FUNCTION turbo.fn_robust_statement_start()');
