-- mutant missing-cascade-edge: one cascade edge forgotten.
DELETE FROM turbo.tb_domain_dependency WHERE source_domain = 'contract' AND target_domain = 'allocation';
