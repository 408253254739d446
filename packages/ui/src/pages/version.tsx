import { useState, type KeyboardEvent } from 'react'
import { Link, useParams, useSearchParams } from 'react-router'
import type { Version } from '@canon/sdk/browser'
import { AliasList, ApprovalBadge, StageBadge, TagList } from '../components/badges'
import { AuditTable } from '../components/audit-table'
import { Markdown } from '../components/markdown'
import { Empty, Loaded } from '../components/status'
import { formatBytes, formatNumber, formatTime, to } from '../format'
import { useSession } from '../session'
import { useAsync } from '../use-async'
import { useTitle } from '../use-title'
import { VersionActions } from './version/actions'
import { FilesBrowser } from './version/files'
import { LineageView } from './version/lineage-graph'

const TABS = [
  ['overview', 'Overview'],
  ['files', 'Files'],
  ['metrics', 'Metrics and params'],
  ['lineage', 'Lineage'],
  ['audit', 'History'],
] as const

export function VersionPage() {
  const { model = '', version: versionParam = '' } = useParams()
  const number = Number(versionParam)
  const { client } = useSession()
  const [params, setParams] = useSearchParams()
  const tab = params.get('tab') ?? 'overview'
  const [refresh, setRefresh] = useState(0)
  useTitle(`${model} v${versionParam}`)
  const select = (id: string) => {
    const copy = new URLSearchParams()
    if (id !== 'overview') copy.set('tab', id)
    setParams(copy)
  }
  // arrow keys move between tabs (the WAI-ARIA tabs pattern); Tab moves on to the panel
  const onTabKey = (event: KeyboardEvent) => {
    const at = TABS.findIndex(([id]) => id === tab)
    const step = event.key === 'ArrowRight' ? 1 : event.key === 'ArrowLeft' ? -1 : 0
    if (!step) return
    const [next] = TABS[(at + step + TABS.length) % TABS.length]!
    select(next)
    document.getElementById(`tab-${next}`)?.focus()
  }
  const version = useAsync(() => client.versions.get(model, number), [client, model, number, refresh])
  return (
    <Loaded state={version} what="Loading version">
      {(v) => (
        <article>
          <nav aria-label="Breadcrumb" className="crumbs">
            <Link to="/models">Models</Link> / <Link to={to.model(v.model)}>{v.model}</Link> / <span>v{v.version}</span>
          </nav>
          <div className="heading">
            <h1>
              {v.model} v{v.version} <StageBadge stage={v.stage} /> <ApprovalBadge status={v.approval.status} />
            </h1>
          </div>
          <VersionActions version={v} onChange={() => setRefresh((r) => r + 1)} />
          <div role="tablist" aria-label="Version sections" className="tabs" onKeyDown={onTabKey}>
            {TABS.map(([id, label]) => (
              <button
                key={id}
                role="tab"
                type="button"
                aria-selected={tab === id}
                aria-controls={`panel-${id}`}
                id={`tab-${id}`}
                tabIndex={tab === id ? 0 : -1}
                onClick={() => select(id)}
              >
                {label}
              </button>
            ))}
          </div>
          <div role="tabpanel" id={`panel-${tab}`} aria-labelledby={`tab-${tab}`}>
            {tab === 'overview' && <Overview version={v} refresh={refresh} />}
            {tab === 'files' && <FilesBrowser model={v.model} version={v.version} files={v.files} />}
            {tab === 'metrics' && <MetricsAndParams version={v} />}
            {tab === 'lineage' && <Lineage version={v} />}
            {tab === 'audit' && <History version={v} refresh={refresh} />}
          </div>
        </article>
      )}
    </Loaded>
  )
}

function Overview({ version: v, refresh }: { version: Version; refresh: number }) {
  const { client } = useSession()
  const transitions = useAsync(() => client.versions.transitions(v.model, v.version), [client, v.model, v.version, refresh])
  return (
    <>
      <dl className="facts">
        <dt>Stage</dt>
        <dd>
          <StageBadge stage={v.stage} /> since {formatTime(v.stageUpdatedAt)}
        </dd>
        <dt>Approval</dt>
        <dd>
          <ApprovalBadge status={v.approval.status} />
          {v.approval.by && ` by ${v.approval.by} ${formatTime(v.approval.at)}`}
          {v.approval.comment && ` — “${v.approval.comment}”`}
        </dd>
        <dt>Aliases</dt>
        <dd>
          <AliasList aliases={v.aliases} />
        </dd>
        <dt>Tags</dt>
        <dd>
          <TagList tags={v.tags} />
        </dd>
        <dt>Created</dt>
        <dd>
          {formatTime(v.createdAt)} by {v.createdBy}
        </dd>
        <dt>Run</dt>
        <dd className="mono">{v.runLink ? <a href={v.runLink}>{v.runId}</a> : (v.runId ?? '—')}</dd>
        <dt>Source</dt>
        <dd className="mono">{v.source ?? '—'}</dd>
        <dt>Files</dt>
        <dd>
          {v.fileCount} ({formatBytes(v.totalSize)})
        </dd>
        <dt>URI</dt>
        <dd className="mono">
          models:/{v.model}/{v.version}
        </dd>
      </dl>
      {v.description ? <Markdown text={v.description} /> : <p className="muted">No description.</p>}
      <h2>Stage history</h2>
      <Loaded state={transitions} what="Loading stage history">
        {(items) =>
          items.length === 0 ? (
            <Empty>Never moved between stages.</Empty>
          ) : (
            <ol className="timeline">
              {items.map((t, i) => (
                <li key={i}>
                  {formatTime(t.at)}: {t.fromStage} → {t.toStage} by {t.actor}
                  {t.reason && ` — “${t.reason}”`}
                </li>
              ))}
            </ol>
          )
        }
      </Loaded>
    </>
  )
}

function MetricsAndParams({ version: v }: { version: Version }) {
  const metrics = Object.entries(v.metrics).sort(([a], [b]) => a.localeCompare(b))
  const params = Object.entries(v.params).sort(([a], [b]) => a.localeCompare(b))
  return (
    <div className="columns">
      <section aria-labelledby="metrics-heading">
        <h2 id="metrics-heading">Metrics</h2>
        {metrics.length === 0 ? (
          <Empty>No metrics recorded.</Empty>
        ) : (
          <table className="compact" data-testid="metrics-table">
            <tbody>
              {metrics.map(([k, value]) => (
                <tr key={k}>
                  <th scope="row">{k}</th>
                  <td className="num">{formatNumber(value)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </section>
      <section aria-labelledby="params-heading">
        <h2 id="params-heading">Params</h2>
        {params.length === 0 ? (
          <Empty>No params recorded.</Empty>
        ) : (
          <table className="compact" data-testid="params-table">
            <tbody>
              {params.map(([k, value]) => (
                <tr key={k}>
                  <th scope="row">{k}</th>
                  <td className="mono">{value}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </section>
    </div>
  )
}

function History({ version: v, refresh }: { version: Version; refresh: number }) {
  const { client } = useSession()
  const events = useAsync(() => client.audit.list({ target: `version:${v.model}/${v.version}`, limit: 500 }), [client, v.model, v.version, refresh])
  return (
    <Loaded state={events} what="Loading history">
      {(page) => <AuditTable events={page.items} emptyText="No audit events for this version." />}
    </Loaded>
  )
}

function Lineage({ version: v }: { version: Version }) {
  const { client } = useSession()
  const graph = useAsync(() => client.lineage.graph(v.model, v.version), [client, v.model, v.version])
  return (
    <Loaded state={graph} what="Loading lineage">
      {(g) => <LineageView graph={g} />}
    </Loaded>
  )
}
