import { Link, useParams, useSearchParams } from 'react-router'
import type { Version } from '@canon/sdk/browser'
import { ErrorBox, Empty, Loaded } from '../components/status'
import { formatBytes, formatNumber, shortDigest, to } from '../format'
import { useSession } from '../session'
import { useAsync } from '../use-async'

/** 2–5 versions side by side: metrics with deltas against the first, a chart, params and files that differ. */
export function ComparePage() {
  const model = useParams().model ?? ''
  const [params] = useSearchParams()
  const numbers = [...new Set((params.get('versions') ?? '').split(',').map(Number).filter((n) => Number.isSafeInteger(n) && n > 0))]
  const { client } = useSession()
  const versions = useAsync(() => Promise.all(numbers.map((n) => client.versions.get(model, n))), [client, model, numbers.join(',')])
  const crumbs = (
    <nav aria-label="Breadcrumb" className="crumbs">
      <Link to="/models">Models</Link> / <Link to={to.model(model)}>{model}</Link> / <span>compare</span>
    </nav>
  )
  if (numbers.length < 2 || numbers.length > 5) {
    return (
      <section>
        {crumbs}
        <h1>Compare versions</h1>
        <ErrorBox error="Choose 2 to 5 versions to compare (select them in the model's versions table)." />
      </section>
    )
  }
  return (
    <section>
      {crumbs}
      <h1>
        Compare {model} {numbers.map((n) => `v${n}`).join(', ')}
      </h1>
      <Loaded state={versions} what="Loading versions">
        {(list) => (
          <>
            <MetricsComparison versions={list} />
            <ParamsDiff versions={list} />
            <FilesDiff versions={list} />
          </>
        )}
      </Loaded>
    </section>
  )
}

const keysOf = (records: Record<string, unknown>[]) => [...new Set(records.flatMap((r) => Object.keys(r)))].sort()

function delta(value: number | undefined, base: number | undefined): string {
  if (value === undefined || base === undefined) return ''
  const d = value - base
  if (d === 0) return '±0'
  return `${d > 0 ? '+' : '−'}${formatNumber(Math.abs(d))}`
}

function MetricsComparison({ versions }: { versions: Version[] }) {
  const names = keysOf(versions.map((v) => v.metrics))
  const [base] = versions
  return (
    <section aria-labelledby="cmp-metrics">
      <h2 id="cmp-metrics">Metrics</h2>
      {names.length === 0 ? (
        <Empty>None of these versions recorded metrics.</Empty>
      ) : (
        <>
          <table data-testid="compare-metrics">
            <thead>
              <tr>
                <th scope="col">Metric</th>
                {versions.map((v) => (
                  <th scope="col" key={v.version} className="num">
                    v{v.version}
                  </th>
                ))}
              </tr>
            </thead>
            <tbody>
              {names.map((name) => (
                <tr key={name}>
                  <th scope="row">{name}</th>
                  {versions.map((v, i) => (
                    <td key={v.version} className="num">
                      {formatNumber(v.metrics[name])}
                      {i > 0 && <span className="delta"> {delta(v.metrics[name], base?.metrics[name])}</span>}
                    </td>
                  ))}
                </tr>
              ))}
            </tbody>
          </table>
          <MetricsChart versions={versions} names={names} />
        </>
      )}
    </section>
  )
}

const COLORS = ['#3867d6', '#e67e22', '#20bf6b', '#8854d0', '#eb3b5a']

/** Grouped bars, one group per metric, each scaled to that metric's largest value. */
function MetricsChart({ versions, names }: { versions: Version[]; names: string[] }) {
  const group = versions.length * 18 + 24
  const width = Math.max(320, names.length * group + 40)
  const height = 200
  return (
    <figure className="chart">
      <svg width={width} height={height + 40} role="img" aria-label={`Bar chart of ${names.join(', ')} for ${versions.map((v) => `v${v.version}`).join(', ')}`}>
        {names.map((name, gi) => {
          const values = versions.map((v) => v.metrics[name])
          const max = Math.max(...values.map((x) => Math.abs(x ?? 0)), Number.MIN_VALUE)
          return (
            <g key={name} transform={`translate(${20 + gi * group}, 0)`}>
              {values.map((value, i) => {
                const h = value === undefined ? 0 : (Math.abs(value) / max) * (height - 20)
                return (
                  <rect key={i} x={i * 18} y={height - h} width={14} height={h} fill={COLORS[i % COLORS.length]}>
                    <title>{`v${versions[i]?.version} ${name}: ${formatNumber(value)}`}</title>
                  </rect>
                )
              })}
              <text x={(versions.length * 18) / 2} y={height + 16} textAnchor="middle" fontSize="11">
                {name.length > 14 ? `${name.slice(0, 13)}…` : name}
              </text>
            </g>
          )
        })}
      </svg>
      <figcaption>
        {versions.map((v, i) => (
          <span key={v.version} className="legend">
            <span className="swatch" style={{ background: COLORS[i % COLORS.length] }} /> v{v.version}
          </span>
        ))}
      </figcaption>
    </figure>
  )
}

function ParamsDiff({ versions }: { versions: Version[] }) {
  const names = keysOf(versions.map((v) => v.params))
  return (
    <section aria-labelledby="cmp-params">
      <h2 id="cmp-params">Params</h2>
      {names.length === 0 ? (
        <Empty>None of these versions recorded params.</Empty>
      ) : (
        <table data-testid="compare-params">
          <thead>
            <tr>
              <th scope="col">Param</th>
              {versions.map((v) => (
                <th scope="col" key={v.version}>
                  v{v.version}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {names.map((name) => {
              const differs = new Set(versions.map((v) => v.params[name])).size > 1
              return (
                <tr key={name} className={differs ? 'differs' : undefined}>
                  <th scope="row">
                    {name}
                    {differs && <span className="visually-hidden"> (differs)</span>}
                  </th>
                  {versions.map((v) => (
                    <td key={v.version} className="mono">
                      {v.params[name] ?? '—'}
                    </td>
                  ))}
                </tr>
              )
            })}
          </tbody>
        </table>
      )}
    </section>
  )
}

function FilesDiff({ versions }: { versions: Version[] }) {
  const paths = [...new Set(versions.flatMap((v) => v.files.map((f) => f.path)))].sort()
  const byPath = versions.map((v) => new Map(v.files.map((f) => [f.path, f])))
  const rows = paths.map((path) => {
    const entries = byPath.map((m) => m.get(path))
    const digests = new Set(entries.map((e) => e?.digest ?? 'absent'))
    return { path, entries, same: digests.size === 1 }
  })
  const changed = rows.filter((r) => !r.same)
  return (
    <section aria-labelledby="cmp-files">
      <h2 id="cmp-files">Files</h2>
      <p className="muted">
        {changed.length} of {rows.length} paths differ.
      </p>
      <table data-testid="compare-files">
        <thead>
          <tr>
            <th scope="col">Path</th>
            {versions.map((v) => (
              <th scope="col" key={v.version}>
                v{v.version}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {rows.map((r) => (
            <tr key={r.path} className={r.same ? undefined : 'differs'}>
              <th scope="row" className="mono">
                {r.path}
              </th>
              {r.entries.map((e, i) => (
                <td key={i} className="mono small">
                  {e ? `${shortDigest(e.digest)} · ${formatBytes(e.size)}` : <span className="muted">absent</span>}
                </td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  )
}
