import type { AuditEvent } from '@canon/sdk/browser'
import { formatTime } from '../format'
import { Empty } from './status'

function summary(value: unknown): string {
  if (value === null || value === undefined) return ''
  return JSON.stringify(value)
}

/** Audit events, newest last as the server orders them; before/after open on demand. */
export function AuditTable({ events, emptyText = 'No audit events.' }: { events: AuditEvent[]; emptyText?: string }) {
  if (events.length === 0) return <Empty>{emptyText}</Empty>
  return (
    <table data-testid="audit-table">
      <thead>
        <tr>
          <th scope="col" className="num">
            #
          </th>
          <th scope="col">When</th>
          <th scope="col">Actor</th>
          <th scope="col">Action</th>
          <th scope="col">Target</th>
          <th scope="col">Reason</th>
          <th scope="col">Change</th>
        </tr>
      </thead>
      <tbody>
        {events.map((e) => (
          <tr key={e.seq}>
            <td className="num">{e.seq}</td>
            <td>{formatTime(e.at)}</td>
            <td>{e.actor}</td>
            <td className="mono">{e.action}</td>
            <td className="mono small">{e.target}</td>
            <td>{e.reason ?? <span className="muted">—</span>}</td>
            <td>
              {e.before === null && e.after === null ? (
                <span className="muted">—</span>
              ) : (
                <details>
                  <summary>before / after</summary>
                  <pre className="small">
                    {summary(e.before) || '(none)'}
                    {'\n→ '}
                    {summary(e.after) || '(none)'}
                  </pre>
                </details>
              )}
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  )
}
