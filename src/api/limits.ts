/**
 * Limits that keep validation and defaulting bounded on hostile input (a sparse
 * `new Array(2 ** 32 - 1)`, a million containers). The API server has no such per-list limits:
 * its request size limit (3 MiB by default) bounds every list. These are far above what such a
 * request can carry, so no pod the API server would accept is refused.
 *
 * @module
 */

/** Most containers in one list (`containers`, `initContainers`, `ephemeralContainers`). */
export const MAX_CONTAINERS_PER_LIST = 100_000;

/** Most items in any other list (`exec.command`, `httpHeaders`, `restartPolicyRules`, exit codes). */
export const MAX_LIST_ITEMS = 100_000;

/**
 * Most list items validated in one pod, all lists together. A list that would go past it is
 * answered with one `FieldValueTooMany` and not walked, so the work per pod stays below this
 * many steps whatever the list lengths claim.
 */
export const MAX_LIST_ITEMS_PER_POD = 1_000_000;
