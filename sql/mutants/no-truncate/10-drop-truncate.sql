-- mutant no-truncate: the seed's blind spot, TRUNCATE fires no row-level trigger.
SELECT turbo.fn_for_each_tv_table('DROP TRIGGER tr_robust_1_before_truncate ON %1$s');
