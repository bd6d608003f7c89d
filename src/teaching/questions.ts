/**
 * A question to try next for each scenario on the learning path: something to type in the
 * playground, where the learner's own statements are judged like the scenario's. Data only.
 */
export const QUESTIONS: Readonly<Record<string, string>> = {
  'loop-vs-batch':
    'Type a DO block of two INSERTs into tv_machine for one tenant. How many bumps are due, and how many does the seed make? Wrap the two INSERTs in BEGIN ... COMMIT as two messages instead: does the seed keep up?',
  'batch-1000':
    'Write one UPDATE that matches no row at all. Should the version move? Check your answer on seed and robust side by side.',
  'multi-tenant':
    'INSERT rows of two tenants in one statement, then DELETE one of them by id. Which tenants have to be bumped by the DELETE?',
  'multi-statement-message':
    'Put two INSERTs in one box, separated by a semicolon, then the same two INSERTs in two boxes. Which design tells the difference, and why does the seed not?',
  'tenant-move':
    "UPDATE a row's tenant_id from a to b. Which pairs must move? Now do the same with a DELETE and an INSERT in one DO block.",
  'cascade-contract':
    'Insert one row into tv_contract and count the versions that move. Which domains depend on contract in the graph?',
  'cascade-contract-item':
    'Write to tv_contract_item and tv_contract in one writable CTE (WITH ... INSERT ... INSERT). How many times must contract move?',
  'cache-single-domain':
    'After a price write, is a cached contract detail still served? Try a price write inside BEGIN ... ROLLBACK: should it invalidate anything?',
  'cache-multi-domain':
    'Why can a MAX of two versions miss a write that a SUM would catch? Think of two domains whose versions were 2 and 1.',
  'turbo-router':
    'Which domains does the GetUserProfile query depend on? Write to one of them and run the scenario again in your head: HIT or MISS?',
  maintenance:
    "Run the seed's cleanup after a burst of writes: do the monitoring views still describe what happened?",
};
