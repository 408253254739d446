import { useState } from 'react'
import type { Version } from '@canon/sdk/browser'
import { ConfirmAction } from '../../components/confirm'
import { Gates } from '../../components/requests'
import { useSession } from '../../session'
import { MoveAlias } from '../model/aliases-panel'

const STAGES = ['None', 'Staging', 'Production', 'Archived'] as const
type Stage = (typeof STAGES)[number]

/** The changes a caller may make to one version: stage, transition request, alias, approval. */
export function VersionActions({ version, onChange }: { version: Version; onChange(): void }) {
  const { client, can, me } = useSession()
  const { model } = version
  const [stage, setStage] = useState<Stage>(version.stage === 'Production' ? 'Archived' : 'Production')
  const [archive, setArchive] = useState(true)
  const [kind, setKind] = useState<'stage' | 'alias'>('stage')
  const [target, setTarget] = useState('Production')
  const ownVersion = !!me?.authEnabled && me.name === version.createdBy
  return (
    <div className="row-actions">
      {can('write', model) && (
        <ConfirmAction label="Change stage…" title={`Change the stage of ${model} v${version.version}`} confirmLabel="Change stage" ready={stage !== version.stage} onConfirm={(reason) => client.versions.transitionStage(model, version.version, { stage, archiveExisting: archive, ...(reason && { reason }) })} onDone={onChange}>
          <p>Now {version.stage}.</p>
          <label htmlFor="new-stage">New stage</label>
          <select id="new-stage" value={stage} onChange={(e) => setStage(e.target.value as Stage)}>
            {STAGES.map((s) => (
              <option key={s} disabled={s === version.stage}>
                {s}
              </option>
            ))}
          </select>
          {stage === 'Production' && (
            <label className="inline">
              <input type="checkbox" checked={archive} onChange={(e) => setArchive(e.target.checked)} /> Archive the current Production version
            </label>
          )}
        </ConfirmAction>
      )}
      {can('write', model) && (
        <ConfirmAction label="Request transition…" title={`Request a change for ${model} v${version.version}`} reasonLabel="Comment for the reviewers" confirmLabel="Send request" ready={!!target.trim()} onConfirm={(comment) => client.governance.request(model, version.version, { kind, target: target.trim(), ...(comment && { comment }) })} onDone={onChange}>
          <p>Approvers review the request; the policy's gates are checked when it is made.</p>
          <label htmlFor="request-kind">Kind</label>
          <select id="request-kind" value={kind} onChange={(e) => (setKind(e.target.value as 'stage' | 'alias'), setTarget(e.target.value === 'stage' ? 'Production' : 'champion'))}>
            <option value="stage">to a stage</option>
            <option value="alias">an alias</option>
          </select>
          <label htmlFor="request-target">{kind === 'stage' ? 'Stage' : 'Alias'}</label>
          {kind === 'stage' ? (
            <select id="request-target" value={target} onChange={(e) => setTarget(e.target.value)}>
              {STAGES.map((s) => (
                <option key={s}>{s}</option>
              ))}
            </select>
          ) : (
            <input id="request-target" value={target} onChange={(e) => setTarget(e.target.value)} />
          )}
          {target.trim() && <Gates model={model} version={version.version} kind={kind} target={target.trim()} label="Policy gates, checked now" />}
        </ConfirmAction>
      )}
      {can('write', model) && <MoveAlias model={model} version={version.version} onDone={onChange} />}
      {can('approve', model) && !ownVersion && (
        <>
          <ConfirmAction label="Approve" buttonClass="primary" title={`Approve ${model} v${version.version}?`} reasonLabel="Comment" confirmLabel="Approve" onConfirm={(comment) => client.versions.setApproval(model, version.version, { status: 'approved', ...(comment && { comment }) })} onDone={onChange} />
          <ConfirmAction label="Reject" title={`Reject ${model} v${version.version}?`} reasonLabel="Comment" confirmLabel="Reject" danger onConfirm={(comment) => client.versions.setApproval(model, version.version, { status: 'rejected', ...(comment && { comment }) })} onDone={onChange} />
        </>
      )}
    </div>
  )
}
