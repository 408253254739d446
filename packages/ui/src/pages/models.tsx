import { useEffect, useState } from 'react'
import { Link } from 'react-router'
import { AliasList, TagList } from '../components/badges'
import { Pager, usePager } from '../components/pager'
import { Empty, Loaded } from '../components/status'
import { formatTime, to } from '../format'
import { useSession } from '../session'
import { useAsync } from '../use-async'
import { useTitle } from '../use-title'
import { useSearchState } from '../use-search-state'
import { ApprovalSelect, StageSelect } from '../components/filter-selects'

const PAGE_SIZE = 50

/** The description's first line as plain text: Markdown heading and emphasis marks dropped. */
const firstLine = (markdown: string) => (markdown.trim().split('\n')[0] ?? '').replace(/^#+\s*/, '').replace(/[*_`]/g, '').slice(0, 120)
type Stage = 'None' | 'Staging' | 'Production' | 'Archived'
type Approval = 'pending' | 'approved' | 'rejected'

export function ModelsPage() {
  const { client, can } = useSession()
  const { params, setParam } = useSearchState()
  const pager = usePager()
  const q = params.get('q') ?? ''
  const stage = params.get('stage') ?? ''
  const tag = params.get('tag') ?? ''
  const approval = params.get('approval') ?? ''
  const sort = params.get('sort') ?? 'name'
  const order = params.get('order') ?? ''
  const [search, setSearch] = useState(q)
  useTitle('Models')

  // The search box updates the URL once typing pauses, not on every key.
  useEffect(() => {
    if (search === q) return
    const timer = setTimeout(() => setParam('q', search.trim()), 250)
    return () => clearTimeout(timer)
  })

  const models = useAsync(
    () =>
      client.models.list({
        q: q || undefined,
        stage: (stage || undefined) as Stage | undefined,
        tag: tag || undefined,
        approval: (approval || undefined) as Approval | undefined,
        sort: sort as 'name' | 'created' | 'updated',
        order: (order || undefined) as 'asc' | 'desc' | undefined,
        limit: PAGE_SIZE,
        cursor: pager.cursor,
      }),
    [client, q, stage, tag, approval, sort, order, pager.cursor],
  )
  const filtered = q || stage || tag || approval

  return (
    <section>
      <div className="heading">
        <h1>Models</h1>
        {can('write') && (
          <Link className="button primary" to="/models/new">
            Register model
          </Link>
        )}
      </div>
      <form className="filters" role="search" onSubmit={(e) => (e.preventDefault(), setParam('q', search.trim()))}>
        <label>
          Search
          <input type="search" placeholder="name contains…" value={search} onChange={(e) => setSearch(e.target.value)} />
        </label>
        <StageSelect value={stage} onChange={(v) => setParam('stage', v)} />
        <label>
          Tag
          <input placeholder="key or key=value" defaultValue={tag} onBlur={(e) => setParam('tag', e.target.value.trim())} onKeyDown={(e) => e.key === 'Enter' && (e.preventDefault(), setParam('tag', e.currentTarget.value.trim()))} />
        </label>
        <ApprovalSelect value={approval} onChange={(v) => setParam('approval', v)} describe={(s) => `a version ${s}`} />
        <label>
          Sort by
          <select value={sort} onChange={(e) => setParam('sort', e.target.value)}>
            <option value="name">name</option>
            <option value="updated">last update</option>
            <option value="created">created</option>
          </select>
        </label>
        <label>
          Order
          <select value={order} onChange={(e) => setParam('order', e.target.value)}>
            <option value="">default</option>
            <option value="asc">ascending</option>
            <option value="desc">descending</option>
          </select>
        </label>
      </form>
      <Loaded state={models} what="Loading models">
        {(page) =>
          page.items.length === 0 ? (
            <Empty>{filtered ? 'No model matches these filters.' : 'No models yet. Register one to start.'}</Empty>
          ) : (
            <>
              <table className={models.loading ? 'stale' : undefined}>
                <thead>
                  <tr>
                    <th scope="col">Model</th>
                    <th scope="col">Latest</th>
                    <th scope="col">Production</th>
                    <th scope="col">Aliases</th>
                    <th scope="col">Tags</th>
                    <th scope="col">Last update</th>
                  </tr>
                </thead>
                <tbody>
                  {page.items.map((model) => (
                    <tr key={model.name}>
                      <td>
                        <Link to={to.model(model.name)}>{model.name}</Link>
                        {model.description && <div className="muted small">{firstLine(model.description)}</div>}
                      </td>
                      <td>{model.latestVersion === null ? '—' : <Link to={to.version(model.name, model.latestVersion)}>v{model.latestVersion}</Link>}</td>
                      <td>{model.productionVersion === null ? '—' : <Link to={to.version(model.name, model.productionVersion)}>v{model.productionVersion}</Link>}</td>
                      <td>
                        <AliasList aliases={Object.entries(model.aliases).map(([alias, v]) => `${alias}→v${v}`)} />
                      </td>
                      <td>
                        <TagList tags={model.tags} />
                      </td>
                      <td>{formatTime(model.updatedAt)}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
              <Pager pager={pager} nextCursor={page.nextCursor} label="Models" />
            </>
          )
        }
      </Loaded>
    </section>
  )
}
