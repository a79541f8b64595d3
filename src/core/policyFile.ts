/**
 * The policy file's name, and the store's copy of it that the hook's shell fallback compares it
 * with: a module of their own so that the git hooks' quick paths can name them without loading
 * the glob compiler that policy.ts needs.
 */

/** The policy file, named in every error about it. */
export const POLICY_FILE = '.ai-provenance.json';

/**
 * A byte-for-byte copy of the policy file, kept in the store while that file is valid and says
 * `"onError": "warn"`. The hook's shell fallback (no Node to parse JSON) warns instead of blocking
 * only when the policy file is identical to it, so an invalid policy can never loosen the gate.
 */
export const WARN_POLICY_COPY = 'policy-onerror-warn.json';
