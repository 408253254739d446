import { Link } from 'react-router'
import { Empty, Loaded } from '../../components/status'
import { formatTime, to } from '../../format'
import { useSession } from '../../session'
import { useAsync } from '../../use-async'

/** Where this model serves: each deployment's environment, status and traffic split over versions. */
export function DeploymentsPanel({ model, refresh }: { model: string; refresh: number }) {
  const { client } = useSession()
  const deployments = useAsync(() => client.deployments.list({ model, limit: 100 }), [client, model, refresh])
  return (
    <section aria-labelledby="deployments-heading">
      <h2 id="deployments-heading">Deployments</h2>
      <Loaded state={deployments} what="Loading deployments">
        {(page) =>
          page.items.length === 0 ? (
            <Empty>
              Not deployed (<code>canon deploy</code> creates a deployment).
            </Empty>
          ) : (
            <table data-testid="deployments-table">
              <thead>
                <tr>
                  <th scope="col">Deployment</th>
                  <th scope="col">Environment</th>
                  <th scope="col">Status</th>
                  <th scope="col">Traffic</th>
                  <th scope="col">Updated</th>
                </tr>
              </thead>
              <tbody>
                {page.items.map((d) => (
                  <tr key={d.name}>
                    <td>
                      {d.name}
                      {d.description && <div className="muted small">{d.description}</div>}
                    </td>
                    <td>{d.environment}</td>
                    <td>
                      <span className={`badge deployment-${d.status}`}>{d.status}</span>
                    </td>
                    <td>
                      {d.split.map((t) => (
                        <div key={t.version}>
                          <Link to={to.version(model, t.version)}>v{t.version}</Link> {t.weight}%{t.archived && <span className="badge stage-archived">archived</span>}
                          <span className="split-bar" style={{ width: `${t.weight}px` }} aria-hidden="true" />
                        </div>
                      ))}
                    </td>
                    <td>
                      {formatTime(d.updatedAt)}
                      <div className="muted small">
                        revision {d.revision} by {d.updatedBy}
                      </div>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          )
        }
      </Loaded>
    </section>
  )
}
