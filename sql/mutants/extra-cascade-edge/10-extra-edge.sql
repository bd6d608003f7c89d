-- mutant extra-cascade-edge: one cascade edge the graph does not have.
INSERT INTO turbo.tb_domain_dependency (source_domain, target_domain) VALUES ('price', 'machine');
