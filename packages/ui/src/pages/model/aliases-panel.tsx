import { useState } from 'react'
import { Link } from 'react-router'
import { ConfirmAction } from '../../components/confirm'
import { Empty } from '../../components/status'
import { to } from '../../format'
import { useSession } from '../../session'

/** Aliases of a model: set a new one, move or delete an existing one, each confirmed with a reason. */
export function AliasesPanel({ model, aliases, onChange }: { model: string; aliases: Record<string, number>; onChange(): void }) {
  const { client, can } = useSession()
  const mayWrite = can('write', model)
  const entries = Object.entries(aliases).sort(([a], [b]) => a.localeCompare(b))
  return (
    <section aria-labelledby="aliases-heading">
      <h2 id="aliases-heading">Aliases</h2>
      {entries.length === 0 ? (
        <Empty>No aliases.</Empty>
      ) : (
        <table className="compact">
          <thead>
            <tr>
              <th scope="col">Alias</th>
              <th scope="col">Version</th>
              {mayWrite && <th scope="col">Actions</th>}
            </tr>
          </thead>
          <tbody>
            {entries.map(([alias, version]) => (
              <tr key={alias}>
                <td>@{alias}</td>
                <td>
                  <Link to={to.version(model, version)}>v{version}</Link>
                </td>
                {mayWrite && (
                  <td>
                    <div className="row-actions">
                    <MoveAlias model={model} alias={alias} current={version} onDone={onChange} />
                    <ConfirmAction label="Delete" title={`Delete alias @${alias}?`} danger confirmLabel="Delete alias" onConfirm={() => client.aliases.delete(model, alias)} onDone={onChange} noReason>
                      <p>
                        <code>models:/{model}@{alias}</code> will stop resolving.
                      </p>
                    </ConfirmAction>
                    </div>
                  </td>
                )}
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {mayWrite && <MoveAlias model={model} onDone={onChange} />}
    </section>
  )
}

/** Without `alias`: sets a new alias. With it: moves that alias to another version. */
export function MoveAlias({ model, alias, current, onDone, version }: { model: string; alias?: string; current?: number; version?: number; onDone(): void }) {
  const { client } = useSession()
  const [name, setName] = useState(alias ?? '')
  const [target, setTarget] = useState(version ? String(version) : '')
  const title = alias ? `Move alias @${alias}` : version ? `Point an alias at v${version}` : 'Set an alias'
  const ready = !!name.trim() && /^\d+$/.test(target)
  return (
    <ConfirmAction
      label={alias ? 'Move' : version ? 'Set alias…' : 'Set alias…'}
      title={title}
      confirmLabel={alias ? 'Move alias' : 'Set alias'}
      ready={ready}
      onConfirm={(reason) => client.aliases.set(model, name.trim(), Number(target), reason ? { reason } : {})}
      onDone={onDone}
    >
      {!alias && (
        <>
          <label htmlFor="alias-name">Alias</label>
          <input id="alias-name" value={name} onChange={(e) => setName(e.target.value)} placeholder="champion" />
        </>
      )}
      {alias && current !== undefined && <p>Now points at v{current}.</p>}
      {version === undefined && (
        <>
          <label htmlFor="alias-version">Version</label>
          <input id="alias-version" inputMode="numeric" value={target} onChange={(e) => setTarget(e.target.value)} placeholder="3" />
        </>
      )}
    </ConfirmAction>
  )
}
