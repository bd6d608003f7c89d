-- mutant skip-nested-triggers: robust's AFTER triggers behind `WHEN (pg_trigger_depth() = 0)`, the
-- guard trigger authors add against recursion. Every write a client or a function makes still
-- bumps; a tv_ statement run by a base table's sync trigger never closes, so it and every later
-- statement of the session bump nothing.
SELECT turbo.fn_robust_redefine('tr\_robust\_after\_%', ' EXECUTE FUNCTION ', ' WHEN (pg_trigger_depth() = 0) EXECUTE FUNCTION ');
