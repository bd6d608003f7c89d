/**
 * A playground's state in the URL fragment, so a teacher can hand out a link: the designs picked,
 * the scenario or the typed messages, and a pasted design. The fragment never reaches a server.
 */
export interface PlaygroundState {
  designs: string[];
  /** A learning-path scenario, or '' for the typed messages. */
  scenario: string;
  messages: string[];
  pasted: string;
}

/** The state a page opens with when its link has none. */
export const DEFAULT_STATE: PlaygroundState = {
  designs: ['seed', 'robust'],
  scenario: 'loop-vs-batch',
  messages: [''],
  pasted: '',
};

/** The fragment (without `#`) of a state. */
export function stateFragment(s: PlaygroundState): string {
  const p = new URLSearchParams();
  for (const d of s.designs) p.append('design', d);
  if (s.scenario) p.set('scenario', s.scenario);
  for (const m of s.messages) if (m.trim()) p.append('message', m);
  if (s.pasted.trim()) p.set('pasted', s.pasted);
  return p.toString();
}

/** The state of a fragment (with or without `#`); what it does not say comes from {@link DEFAULT_STATE}. */
export function fragmentState(fragment: string): PlaygroundState {
  const p = new URLSearchParams(fragment.replace(/^#/, ''));
  if ([...p.keys()].length === 0) return { ...DEFAULT_STATE };
  const messages = p.getAll('message');
  return {
    designs: p.getAll('design'),
    scenario: p.get('scenario') ?? '',
    messages: messages.length ? messages : [''],
    pasted: p.get('pasted') ?? '',
  };
}
