import { useEffect, useState } from 'react'
import { useSearchParams } from 'react-router'
import type { AuditCheck } from '@canon/sdk/browser'
import { errorMessage } from '../api'
import { AuditTable } from '../components/audit-table'
import { Pager, usePager } from '../components/pager'
import { Loaded } from '../components/status'
import { useSession } from '../session'
import { useAsync } from '../use-async'
import { useTitle } from '../use-title'

const FILTERS = [
  ['model', 'Model', 'model name'],
  ['actor', 'Actor', 'user name'],
  ['action', 'Action', 'e.g. version.stage'],
] as const

/** datetime-local ("2026-01-02T03:04", read as UTC) ↔ ISO */
const toIso = (local: string) => (local ? new Date(`${local}:00Z`).toISOString() : '')
const toLocal = (iso: string | null) => (iso ? iso.slice(0, 16) : '')

export function AuditPage() {
  const { client } = useSession()
  const [params, setParams] = useSearchParams()
  const pager = usePager('after')
  useTitle('Audit log')
  const [draft, setDraft] = useState(() => Object.fromEntries(['model', 'actor', 'action'].map((k) => [k, params.get(k) ?? ''])))
  const [since, setSince] = useState(toLocal(params.get('since')))
  const [until, setUntil] = useState(toLocal(params.get('until')))
  // the form follows the URL when it changes underneath (back and forward)
  useEffect(() => {
    setDraft(Object.fromEntries(['model', 'actor', 'action'].map((k) => [k, params.get(k) ?? ''])))
    setSince(toLocal(params.get('since')))
    setUntil(toLocal(params.get('until')))
  }, [params])
  const [check, setCheck] = useState<{ busy: boolean; result?: AuditCheck; error?: string }>({ busy: false })
  const query = Object.fromEntries(['model', 'actor', 'action', 'since', 'until'].map((k) => [k, params.get(k) || undefined]))
  const events = useAsync(() => client.audit.list({ ...query, after: pager.cursor ? Number(pager.cursor) : undefined, limit: 100 }), [client, params.toString()])

  const apply = () => {
    const next = new URLSearchParams()
    for (const [k, v] of Object.entries(draft)) if (v.trim()) next.set(k, v.trim())
    if (since) next.set('since', toIso(since))
    if (until) next.set('until', toIso(until))
    setParams(next)
  }
  const verify = async () => {
    setCheck({ busy: true })
    try {
      setCheck({ busy: false, result: await client.audit.verify() })
    } catch (e) {
      setCheck({ busy: false, error: errorMessage(e) })
    }
  }

  return (
    <section>
      <div className="heading">
        <h1>Audit log</h1>
        <button type="button" onClick={verify} disabled={check.busy}>
          {check.busy ? 'Verifying…' : 'Verify chain'}
        </button>
      </div>
      {check.result && (
        <p className={`status ${check.result.ok ? 'ok' : 'error'}`} role="status" data-testid="verify-result">
          {check.result.ok ? `Chain intact: ${check.result.events} events verified.` : `Chain BROKEN at event ${check.result.brokenAt}: ${check.result.why}`}
        </p>
      )}
      {check.error && (
        <p className="status error" role="alert">
          {check.error}
        </p>
      )}
      <form className="filters" onSubmit={(e) => (e.preventDefault(), apply())}>
        {FILTERS.map(([key, label, placeholder]) => (
          <label key={key}>
            {label}
            <input value={draft[key]} placeholder={placeholder} onChange={(e) => setDraft({ ...draft, [key]: e.target.value })} />
          </label>
        ))}
        <label>
          Since (UTC)
          <input type="datetime-local" value={since} onChange={(e) => setSince(e.target.value)} />
        </label>
        <label>
          Until (UTC)
          <input type="datetime-local" value={until} onChange={(e) => setUntil(e.target.value)} />
        </label>
        <button type="submit" className="primary">
          Filter
        </button>
      </form>
      <Loaded state={events} what="Loading audit events">
        {(page) => (
          <>
            <AuditTable events={page.items} emptyText="No audit events match these filters." />
            <Pager pager={pager} nextCursor={page.nextAfter === null ? null : String(page.nextAfter)} label="Audit" />
          </>
        )}
      </Loaded>
    </section>
  )
}
