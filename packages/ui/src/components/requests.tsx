import { Link } from 'react-router'
import type { TransitionRequest } from '@canon/sdk/browser'
import { formatTime, to } from '../format'
import { useSession } from '../session'
import { useAsync } from '../use-async'
import { ConfirmAction } from './confirm'
import { Empty, ErrorBox, Loading } from './status'

/** The policy gates of moving a version to a stage or an alias, checked now (the server's dry run). */
export function Gates({ model, version, kind, target, label }: { model: string; version: number; kind: 'stage' | 'alias'; target: string; label: string }) {
  const { client } = useSession()
  const check = useAsync(() => client.governance.promotionCheck(model, version, kind === 'stage' ? { stage: target } : { alias: target }), [client, model, version, kind, target])
  if (check.error) return <ErrorBox error={check.error} retry={check.reload} />
  if (!check.data) return <Loading what="Checking gates" />
  if (check.data.gates.length === 0) return <span className="muted">No policy gates.</span>
  return (
    <ul className="gates" aria-label={label}>
      {check.data.gates.map((gate) => (
        <li key={gate.gate} className={gate.passed ? 'pass' : 'fail'}>
          <span aria-hidden="true">{gate.passed ? '✔' : '✘'}</span> <strong>{gate.gate}</strong> {gate.passed ? 'passed' : 'FAILED'}: {gate.detail}
        </li>
      ))}
    </ul>
  )
}

/** Transition requests as cards: what, who, reviews so far, gates, and the review or cancel controls the caller may use. */
export function RequestList({ requests, onChange, emptyText }: { requests: TransitionRequest[]; onChange(): void; emptyText: string }) {
  const { client, me, can } = useSession()
  if (requests.length === 0) return <Empty>{emptyText}</Empty>
  return (
    <ul className="requests">
      {requests.map((r) => {
        const mine = me?.name === r.requestedBy
        // the requester's own approval never counts (four eyes), so it is not offered
        const mayReview = can('approve', r.model) && !mine && r.status === 'pending'
        const approvals = new Set(r.reviews.filter((review) => review.decision === 'approve' && review.reviewer !== r.requestedBy).map((review) => review.reviewer)).size
        return (
          <li key={r.id} className="request" data-testid={`request-${r.id}`}>
            <div className="heading">
              <h3>
                #{r.id}: <Link to={to.version(r.model, r.version)}>{r.model} v{r.version}</Link> → {r.kind === 'stage' ? r.target : `@${r.target}`}
              </h3>
              <span className={`badge request-${r.status}`}>{r.status}</span>
            </div>
            <p className="muted small">
              requested by {r.requestedBy} · {formatTime(r.createdAt)} · {approvals} of {r.requiredApprovals} approvals
            </p>
            {r.comment && <p>“{r.comment}”</p>}
            {r.reviews.length > 0 && (
              <ul className="reviews">
                {r.reviews.map((review) => (
                  <li key={`${review.reviewer}-${review.at}`}>
                    {review.reviewer} {review.decision === 'approve' ? 'approved' : 'rejected'}
                    {review.comment && `: “${review.comment}”`}
                  </li>
                ))}
              </ul>
            )}
            {r.status === 'pending' && <Gates model={r.model} version={r.version} kind={r.kind} target={r.target} label={`Policy gates of request ${r.id}`} />}
            <div className="row-actions">
              {mayReview && (
                <>
                  <ConfirmAction label="Approve" title={`Approve request #${r.id}?`} reasonLabel="Comment" confirmLabel="Approve" buttonClass="primary" onConfirm={(comment) => client.governance.review(r.id, { decision: 'approve', ...(comment && { comment }) })} onDone={onChange}>
                    <p>
                      {r.model} v{r.version} → {r.target}. The approval that completes the count applies the change at once.
                    </p>
                  </ConfirmAction>
                  <ConfirmAction label="Reject" title={`Reject request #${r.id}?`} reasonLabel="Comment" confirmLabel="Reject" danger onConfirm={(comment) => client.governance.review(r.id, { decision: 'reject', ...(comment && { comment }) })} onDone={onChange}>
                    <p>
                      {r.model} v{r.version} will not move to {r.target}.
                    </p>
                  </ConfirmAction>
                </>
              )}
              {r.status === 'pending' && (mine || can('admin')) && (
                <ConfirmAction label="Cancel request" title={`Cancel request #${r.id}?`} confirmLabel="Cancel request" danger onConfirm={(reason) => client.governance.cancel(r.id, reason || undefined)} onDone={onChange} />
              )}
            </div>
          </li>
        )
      })}
    </ul>
  )
}
