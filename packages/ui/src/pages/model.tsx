import { useState } from 'react'
import { Link, useParams } from 'react-router'
import type { TransitionRequest } from '@canon/sdk/browser'
import { TagList } from '../components/badges'
import { ConfirmAction } from '../components/confirm'
import { Markdown } from '../components/markdown'
import { RequestList } from '../components/requests'
import { Loaded } from '../components/status'
import { formatTime, to } from '../format'
import { useSession } from '../session'
import { useAsync } from '../use-async'
import { useTitle } from '../use-title'
import { AliasesPanel } from './model/aliases-panel'
import { CardView } from './model/card-panel'
import { DeploymentsPanel } from './model/deployments-panel'
import { VersionsTable } from './model/versions-table'

export function ModelPage() {
  const name = useParams().model ?? ''
  const { client, can } = useSession()
  const [refresh, setRefresh] = useState(0)
  const changed = () => setRefresh((r) => r + 1)
  useTitle(name)
  const model = useAsync(() => client.models.get(name), [client, name, refresh])
  const card = useAsync(() => client.cards.get(name), [client, name])
  // What awaits review here: requests the caller may review, and the caller's own.
  const requests = useAsync(async () => {
    const [inbox, mine] = await Promise.all([client.governance.requests({ model: name, status: 'pending' }), client.governance.requests({ model: name, status: 'pending', mine: true })])
    const byId = new Map<number, TransitionRequest>([...inbox, ...mine].map((r) => [r.id, r]))
    return [...byId.values()].sort((a, b) => a.id - b.id)
  }, [client, name, refresh])

  return (
    <Loaded state={model} what="Loading model">
      {(m) => (
        <article className="model-page">
          <nav aria-label="Breadcrumb" className="crumbs">
            <Link to="/models">Models</Link> / <span>{m.name}</span>
          </nav>
          <div className="heading">
            <h1>{m.name}</h1>
            <div className="row-actions">
              {can('write', m.name) && (
                <Link className="button primary" to={to.upload(m.name)}>
                  Upload version
                </Link>
              )}
              {can('write', m.name) && m.productionVersion !== null && (
                <ConfirmAction label="Roll back" title={`Roll back ${m.name}?`} confirmLabel="Roll back" danger reasonRequired onConfirm={(reason) => client.governance.rollback(m.name, reason)} onDone={changed}>
                  <p>
                    The previous Production version comes back and v{m.productionVersion} is archived, in one transaction.
                  </p>
                </ConfirmAction>
              )}
              <Link className="button" to={to.audit({ model: m.name })}>
                Audit log
              </Link>
            </div>
          </div>
          <dl className="facts">
            <dt>Latest</dt>
            <dd>{m.latestVersion === null ? '—' : <Link to={to.version(m.name, m.latestVersion)}>v{m.latestVersion}</Link>}</dd>
            <dt>Production</dt>
            <dd>{m.productionVersion === null ? '—' : <Link to={to.version(m.name, m.productionVersion)}>v{m.productionVersion}</Link>}</dd>
            <dt>Tags</dt>
            <dd>
              <TagList tags={m.tags} />
            </dd>
            <dt>Created</dt>
            <dd>
              {formatTime(m.createdAt)} by {m.createdBy}
            </dd>
            <dt>Updated</dt>
            <dd>{formatTime(m.updatedAt)}</dd>
          </dl>
          {m.description && <Markdown text={m.description} />}
          <div className="columns">
            <AliasesPanel model={m.name} aliases={m.aliases} onChange={changed} />
            <section aria-labelledby="requests-heading">
              <h2 id="requests-heading">Pending requests</h2>
              <Loaded state={requests} what="Loading requests">
                {(items) => (
                  // the API lists others' pending requests only to those who may review them
                  <RequestList requests={items} onChange={changed} emptyText={can('approve', m.name) ? 'No pending requests.' : 'No pending requests of yours (approvers see all of them).'} />
                )}
              </Loaded>
            </section>
          </div>
          <VersionsTable model={m.name} refresh={refresh} />
          <DeploymentsPanel model={m.name} refresh={refresh} />
          <section aria-labelledby="card-heading">
            <h2 id="card-heading">Model card</h2>
            <Loaded state={card} what="Loading model card">
              {(c) => <CardView card={c} />}
            </Loaded>
          </section>
        </article>
      )}
    </Loaded>
  )
}
