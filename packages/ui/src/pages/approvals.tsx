import { useState } from 'react'
import { Link } from 'react-router'
import type { VersionSummary } from '@canon/sdk/browser'
import { ApprovalBadge, StageBadge } from '../components/badges'
import { ConfirmAction } from '../components/confirm'
import { RequestList } from '../components/requests'
import { Empty, Loaded } from '../components/status'
import { formatTime, to } from '../format'
import { useSession } from '../session'
import { useAsync } from '../use-async'
import { useTitle } from '../use-title'

/** An approver's inbox: transition requests to review (with their gates), versions awaiting a verdict, and one's own requests. */
export function ApprovalsPage() {
  const { client, can, me } = useSession()
  const [refresh, setRefresh] = useState(0)
  useTitle('Approvals')
  const changed = () => setRefresh((r) => r + 1)
  // one's own requests are listed under "My pending requests", never as something to review
  const inbox = useAsync(async () => (await client.governance.requests({ status: 'pending' })).filter((r) => r.requestedBy !== me?.name), [client, me, refresh])
  const mine = useAsync(() => client.governance.requests({ mine: true, status: 'pending' }), [client, refresh])
  const awaiting = useAsync(() => client.versions.list({ approval: 'pending', order: 'desc', limit: 100 }), [client, refresh])
  return (
    <section>
      <h1>Approvals</h1>
      {can('approve') && (
        <section aria-labelledby="inbox-heading">
          <h2 id="inbox-heading">Requests to review</h2>
          <Loaded state={inbox} what="Loading requests">
            {(items) => <RequestList requests={items} onChange={changed} emptyText="Nothing to review: no pending requests you may review." />}
          </Loaded>
        </section>
      )}
      <section aria-labelledby="mine-heading">
        <h2 id="mine-heading">My pending requests</h2>
        <Loaded state={mine} what="Loading your requests">
          {(items) => <RequestList requests={items} onChange={changed} emptyText="You have no pending requests." />}
        </Loaded>
      </section>
      <section aria-labelledby="awaiting-heading">
        <h2 id="awaiting-heading">Versions awaiting approval</h2>
        <Loaded state={awaiting} what="Loading versions">
          {(page) => <PendingVersions versions={page.items.filter((v) => can('approve', v.model) && !(me?.authEnabled && v.createdBy === me.name))} mayApprove={can('approve')} onChange={changed} all={page.items} />}
        </Loaded>
      </section>
    </section>
  )
}

const key = (v: VersionSummary) => `${v.model}\u0000${v.version}`

function PendingVersions({ versions, all, mayApprove, onChange }: { versions: VersionSummary[]; all: VersionSummary[]; mayApprove: boolean; onChange(): void }) {
  const { client } = useSession()
  const [selected, setSelected] = useState<string[]>([])
  const shown = mayApprove ? versions : all
  if (shown.length === 0) return <Empty>No versions await approval{mayApprove ? ' from you' : ''}.</Empty>
  const chosen = shown.filter((v) => selected.includes(key(v)))
  const decide = async (status: 'approved' | 'rejected', comment: string) => {
    const failures: string[] = []
    for (const v of chosen) await client.versions.setApproval(v.model, v.version, { status, ...(comment && { comment }) }).catch((e: Error) => failures.push(`${v.model} v${v.version}: ${e.message}`))
    setSelected([])
    onChange()
    if (failures.length > 0) throw new Error(failures.join(' '))
  }
  const list = chosen.map((v) => `${v.model} v${v.version}`).join(', ')
  return (
    <>
      {mayApprove && (
        <div className="row-actions">
          <ConfirmAction label={`Approve selected (${chosen.length})`} title={`Approve ${chosen.length} versions?`} reasonLabel="Comment" confirmLabel="Approve all" disabled={chosen.length === 0} onConfirm={(c) => decide('approved', c)}>
            <p>{list || 'No version selected.'}</p>
          </ConfirmAction>
          <ConfirmAction label={`Reject selected (${chosen.length})`} title={`Reject ${chosen.length} versions?`} reasonLabel="Comment" confirmLabel="Reject all" danger disabled={chosen.length === 0} onConfirm={(c) => decide('rejected', c)}>
            <p>{list || 'No version selected.'}</p>
          </ConfirmAction>
        </div>
      )}
      <table data-testid="pending-versions">
        <thead>
          <tr>
            {mayApprove && (
              <th scope="col">
                <span className="visually-hidden">Select</span>
              </th>
            )}
            <th scope="col">Version</th>
            <th scope="col">Stage</th>
            <th scope="col">Approval</th>
            <th scope="col">Registered</th>
          </tr>
        </thead>
        <tbody>
          {shown.map((v) => (
            <tr key={key(v)}>
              {mayApprove && (
                <td>
                  <input type="checkbox" aria-label={`Select ${v.model} v${v.version}`} checked={selected.includes(key(v))} onChange={() => setSelected((s) => (s.includes(key(v)) ? s.filter((x) => x !== key(v)) : [...s, key(v)]))} />
                </td>
              )}
              <td>
                <Link to={to.version(v.model, v.version)}>
                  {v.model} v{v.version}
                </Link>
              </td>
              <td>
                <StageBadge stage={v.stage} />
              </td>
              <td>
                <ApprovalBadge status={v.approval.status} />
              </td>
              <td>
                {formatTime(v.createdAt)} by {v.createdBy}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </>
  )
}
