/** A parsed version filter: a tree of conditions joined by AND, OR and NOT. Pure data; the store turns it into SQL. */
export type FilterNode = { kind: 'and' | 'or'; items: FilterNode[] } | { kind: 'not'; item: FilterNode } | Condition

export type KeyedKind = 'metric' | 'param' | 'tag'
export type DatasetAttribute = 'uri' | 'name' | 'digest' | 'role'
export type FilterField =
  | { kind: KeyedKind; key: string }
  | { kind: 'dataset'; attribute: DatasetAttribute }
  | { kind: 'stage' | 'approval' | 'alias' | 'model' | 'created' | 'run_id' }

export type Comparison = '=' | '!=' | '<' | '<=' | '>' | '>='
export type Pattern = 'LIKE' | 'ILIKE' | 'NOT LIKE' | 'NOT ILIKE'
export type Membership = 'IN' | 'NOT IN'
export type Presence = 'IS NULL' | 'IS NOT NULL'
export type Operator = Comparison | Pattern | Membership | Presence

export type Value = string | number

export type Condition =
  | { kind: 'condition'; field: FilterField; op: Comparison; value: Value }
  | { kind: 'condition'; field: FilterField; op: Pattern; value: string }
  | { kind: 'condition'; field: FilterField; op: Membership; values: Value[] }
  | { kind: 'condition'; field: FilterField; op: Presence }
