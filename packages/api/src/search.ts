/** Bounds on the version search language, so one query cannot grow without limit (shared by server and clients). */
export const FilterLimits = {
  /** characters in one filter expression */
  length: 4000,
  /** nested parentheses and NOTs */
  depth: 16,
  /** comparisons in one filter */
  terms: 64,
  /** values in one IN (...) list */
  listValues: 100,
} as const

/** The fields a version filter can name; `metrics.`, `params.` and `tags.` take a key after the dot. */
export const FilterFields = ['metrics.<key>', 'params.<key>', 'tags.<key>', 'stage', 'approval', 'alias', 'model', 'name', 'created', 'run_id', 'dataset', 'dataset.name', 'dataset.digest', 'dataset.role'] as const
