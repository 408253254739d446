import { useState } from 'react'
import { Link, useNavigate } from 'react-router'
import type { VersionSummary } from '@canon/sdk/browser'
import { AliasList, ApprovalBadge, StageBadge } from '../../components/badges'
import { ConfirmAction } from '../../components/confirm'
import { ApprovalSelect, StageSelect } from '../../components/filter-selects'
import { Pager, usePager } from '../../components/pager'
import { Empty, Loaded } from '../../components/status'
import { formatNumber, formatTime, to } from '../../format'
import { useSession } from '../../session'
import { useAsync } from '../../use-async'
import { useSearchState } from '../../use-search-state'

const PAGE_SIZE = 50
type Stage = 'None' | 'Staging' | 'Production' | 'Archived'
type Approval = 'pending' | 'approved' | 'rejected'

/**
 * One page of a model's versions from the server (cursor pagination: 10,000 versions cost one page), with the chosen
 * metrics as columns, and a selection to compare or to approve or reject at once.
 */
export function VersionsTable({ model, refresh }: { model: string; refresh: number }) {
  const { client, can } = useSession()
  const navigate = useNavigate()
  const { params, setParam } = useSearchState()
  const pager = usePager()
  const stage = params.get('stage') ?? ''
  const approval = params.get('approval') ?? ''
  const filter = params.get('filter') ?? ''
  const [draft, setDraft] = useState(filter)
  const chosen = (params.get('metrics') ?? '').split(',').filter(Boolean)
  const [selected, setSelected] = useState<number[]>([])
  const [tick, setTick] = useState(0)

  const versions = useAsync(
    () =>
      client.versions.list({
        model,
        stage: (stage || undefined) as Stage | undefined,
        approval: (approval || undefined) as Approval | undefined,
        filter: filter || undefined,
        order: 'desc',
        limit: PAGE_SIZE,
        cursor: pager.cursor,
      }),
    [client, model, stage, approval, filter, pager.cursor, refresh, tick],
  )
  const metricNames = [...new Set((versions.data?.items ?? []).flatMap((v) => Object.keys(v.metrics)))].sort()
  const columns = chosen.length > 0 ? chosen.filter((m) => metricNames.includes(m)) : metricNames.slice(0, 3)
  const toggle = (version: number) => setSelected((s) => (s.includes(version) ? s.filter((v) => v !== version) : [...s, version]))
  const mayApprove = can('approve', model)

  const reviewSelected = async (status: 'approved' | 'rejected', comment: string) => {
    const failures: string[] = []
    for (const version of selected) {
      await client.versions.setApproval(model, version, { status, ...(comment && { comment }) }).catch((e: Error) => failures.push(`v${version}: ${e.message}`))
    }
    setTick((t) => t + 1)
    if (failures.length > 0) throw new Error(failures.join(' '))
    setSelected([])
  }

  return (
    <section aria-labelledby="versions-heading">
      <div className="heading">
        <h2 id="versions-heading">Versions</h2>
        <div className="row-actions">
          <button type="button" disabled={selected.length < 2 || selected.length > 5} onClick={() => navigate(to.compare(model, [...selected].sort((a, b) => a - b)))}>
            Compare selected ({selected.length})
          </button>
          {mayApprove && (
            <>
              <ConfirmAction label={`Approve selected (${selected.length})`} title={`Approve ${selected.length} versions?`} reasonLabel="Comment" confirmLabel="Approve all" disabled={selected.length === 0} onConfirm={(c) => reviewSelected('approved', c)}>
                <p>Versions {selected.map((v) => `v${v}`).join(', ') || 'none selected'} will be marked approved.</p>
              </ConfirmAction>
              <ConfirmAction label={`Reject selected (${selected.length})`} title={`Reject ${selected.length} versions?`} reasonLabel="Comment" confirmLabel="Reject all" danger disabled={selected.length === 0} onConfirm={(c) => reviewSelected('rejected', c)}>
                <p>Versions {selected.map((v) => `v${v}`).join(', ') || 'none selected'} will be marked rejected.</p>
              </ConfirmAction>
            </>
          )}
        </div>
      </div>
      <form
        className="filters version-filter"
        role="search"
        onSubmit={(e) => {
          e.preventDefault()
          setParam('filter', draft.trim())
        }}
      >
        <label>
          Filter
          <input
            type="search"
            value={draft}
            onChange={(e) => setDraft(e.target.value)}
            placeholder="metrics.val_auc > 0.9 AND (tags.team = 'risk' OR params.max_depth = '6')"
            aria-describedby="filter-help"
            size={60}
          />
        </label>
        <button type="submit">Apply</button>
        <span id="filter-help" className="hint">
          metrics., params., tags., stage, approval, alias, dataset, created; = != &lt; &gt; LIKE IN; AND OR NOT ( )
        </span>
      </form>
      <div className="filters">
        <StageSelect value={stage} onChange={(v) => setParam('stage', v)} />
        <ApprovalSelect value={approval} onChange={(v) => setParam('approval', v)} />
        {metricNames.length > 0 && (
          <fieldset className="metric-picker">
            <legend>Metric columns</legend>
            {metricNames.map((name) => (
              <label key={name} className="inline">
                <input type="checkbox" checked={columns.includes(name)} onChange={() => setParam('metrics', (columns.includes(name) ? columns.filter((c) => c !== name) : [...columns, name]).join(','), { keepCursor: true })} />
                {name}
              </label>
            ))}
          </fieldset>
        )}
      </div>
      <Loaded state={versions} what="Loading versions">
        {(page) =>
          page.items.length === 0 ? (
            <Empty>{stage || approval || filter ? 'No version matches these filters.' : 'No versions yet.'}</Empty>
          ) : (
            <>
              <table className={versions.loading ? 'stale' : undefined} data-testid="versions-table">
                <thead>
                  <tr>
                    <th scope="col">
                      <span className="visually-hidden">Select</span>
                    </th>
                    <th scope="col">Version</th>
                    <th scope="col">Stage</th>
                    <th scope="col">Approval</th>
                    <th scope="col">Aliases</th>
                    <th scope="col">Created</th>
                    <th scope="col">Run</th>
                    {columns.map((name) => (
                      <th scope="col" key={name} className="num">
                        {name}
                      </th>
                    ))}
                  </tr>
                </thead>
                <tbody>
                  {page.items.map((v: VersionSummary) => (
                    <tr key={v.version} className={selected.includes(v.version) ? 'selected' : undefined}>
                      <td>
                        <input type="checkbox" aria-label={`Select version ${v.version}`} checked={selected.includes(v.version)} onChange={() => toggle(v.version)} />
                      </td>
                      <td>
                        <Link to={to.version(model, v.version)}>v{v.version}</Link>
                      </td>
                      <td>
                        <StageBadge stage={v.stage} />
                      </td>
                      <td>
                        <ApprovalBadge status={v.approval.status} />
                      </td>
                      <td>
                        <AliasList aliases={v.aliases} />
                      </td>
                      <td>
                        {formatTime(v.createdAt)}
                        <div className="muted small">{v.createdBy}</div>
                      </td>
                      <td className="mono small">{v.runId ? v.runId.slice(0, 12) : '—'}</td>
                      {columns.map((name) => (
                        <td key={name} className="num">
                          {formatNumber(v.metrics[name])}
                        </td>
                      ))}
                    </tr>
                  ))}
                </tbody>
              </table>
              <Pager pager={pager} nextCursor={page.nextCursor} label="Versions" />
            </>
          )
        }
      </Loaded>
    </section>
  )
}
