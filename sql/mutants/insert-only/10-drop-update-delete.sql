-- mutant insert-only: a trigger declared AFTER INSERT only.
SELECT turbo.fn_for_each_tv_table('DROP TRIGGER tr_robust_after_update ON %1$s');
SELECT turbo.fn_for_each_tv_table('DROP TRIGGER tr_robust_after_delete ON %1$s');
