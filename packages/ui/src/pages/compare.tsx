import { Link, useParams, useSearchParams } from 'react-router'
import type { Comparison } from '@canon/sdk/browser'
import { ErrorBox, Empty, Loaded } from '../components/status'
import { formatBytes, formatNumber, shortDigest, to } from '../format'
import { useSession } from '../session'
import { useAsync } from '../use-async'
import { useTitle } from '../use-title'

/** 2–5 versions side by side (the server's comparison): metrics with deltas and a chart, params, lineage and files that differ. */
export function ComparePage() {
  const model = useParams().model ?? ''
  const [params] = useSearchParams()
  const numbers = [...new Set((params.get('versions') ?? '').split(',').map(Number).filter((n) => Number.isSafeInteger(n) && n > 0))]
  const { client } = useSession()
  useTitle(`Compare ${model} ${numbers.map((n) => `v${n}`).join(', ')}`)
  const valid = numbers.length >= 2 && numbers.length <= 5
  const comparison = useAsync(() => (valid ? client.lineage.compare(model, numbers) : Promise.resolve(null)), [client, model, numbers.join(',')])
  const crumbs = (
    <nav aria-label="Breadcrumb" className="crumbs">
      <Link to="/models">Models</Link> / <Link to={to.model(model)}>{model}</Link> / <span>compare</span>
    </nav>
  )
  if (!valid) {
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
      <Loaded state={comparison} what="Comparing versions">
        {(c) =>
          c && (
            <>
              <Overview comparison={c} />
              <MetricsComparison comparison={c} />
              <ParamsDiff comparison={c} />
              <LineageDiff comparison={c} />
              <FilesDiff comparison={c} />
            </>
          )
        }
      </Loaded>
    </section>
  )
}

const versionHeads = (c: Comparison) =>
  c.versions.map((v) => (
    <th scope="col" key={v}>
      <Link to={to.version(c.model, v)}>v{v}</Link>
    </th>
  ))

function Overview({ comparison: c }: { comparison: Comparison }) {
  return (
    <table className="compact" data-testid="compare-overview">
      <thead>
        <tr>
          <th scope="col" />
          {versionHeads(c)}
        </tr>
      </thead>
      <tbody>
        {(
          [
            ['Stage', (o) => o.stage],
            ['Approval', (o) => o.approval],
            ['Run', (o) => o.runId ?? '—'],
            ['Files', (o) => `${o.fileCount} (${formatBytes(o.totalSize)})`],
          ] as [string, (o: Comparison['overview'][number]) => string][]
        ).map(([label, cell]) => (
          <tr key={label}>
            <th scope="row">{label}</th>
            {c.overview.map((o) => (
              <td key={o.version}>{cell(o)}</td>
            ))}
          </tr>
        ))}
      </tbody>
    </table>
  )
}

function signed(d: number | null | undefined): string {
  if (d === null || d === undefined) return ''
  if (d === 0) return '±0'
  return `${d > 0 ? '+' : '−'}${formatNumber(Math.abs(d))}`
}

function MetricsComparison({ comparison: c }: { comparison: Comparison }) {
  return (
    <section aria-labelledby="cmp-metrics">
      <h2 id="cmp-metrics">Metrics</h2>
      {c.metrics.length === 0 ? (
        <Empty>None of these versions recorded metrics.</Empty>
      ) : (
        <>
          <table data-testid="compare-metrics">
            <thead>
              <tr>
                <th scope="col">Metric</th>
                {versionHeads(c)}
                {c.productionVersion !== null && <th scope="col">Production (v{c.productionVersion})</th>}
              </tr>
            </thead>
            <tbody>
              {c.metrics.map((m) => (
                <tr key={m.key}>
                  <th scope="row">{m.key}</th>
                  {m.values.map((value, i) => (
                    <td key={i} className="num">
                      {formatNumber(value ?? undefined)}
                      {i > 0 && <span className="delta"> {signed(m.deltaVsFirst[i])}</span>}
                    </td>
                  ))}
                  {c.productionVersion !== null && <td className="num">{formatNumber(m.production ?? undefined)}</td>}
                </tr>
              ))}
            </tbody>
          </table>
          <MetricsChart comparison={c} />
        </>
      )}
    </section>
  )
}

const COLORS = ['#3867d6', '#e67e22', '#20bf6b', '#8854d0', '#eb3b5a']

/** Grouped bars, one group per metric, each scaled to that metric's largest value. */
function MetricsChart({ comparison: c }: { comparison: Comparison }) {
  const group = c.versions.length * 18 + 24
  const width = Math.max(320, c.metrics.length * group + 40)
  const height = 200
  return (
    <figure className="chart">
      <svg width={width} height={height + 40} role="img" aria-label={`Bar chart of ${c.metrics.map((m) => m.key).join(', ')} for ${c.versions.map((v) => `v${v}`).join(', ')}`}>
        {c.metrics.map((m, gi) => {
          const max = Math.max(...m.values.map((x) => Math.abs(x ?? 0)), Number.MIN_VALUE)
          return (
            <g key={m.key} transform={`translate(${20 + gi * group}, 0)`}>
              {m.values.map((value, i) => {
                const h = value === null ? 0 : (Math.abs(value) / max) * (height - 20)
                return (
                  <rect key={i} x={i * 18} y={height - h} width={14} height={h} fill={COLORS[i % COLORS.length]}>
                    <title>{`v${c.versions[i]} ${m.key}: ${formatNumber(value ?? undefined)}`}</title>
                  </rect>
                )
              })}
              <text x={(c.versions.length * 18) / 2} y={height + 16} textAnchor="middle" fontSize="11">
                {m.key.length > 14 ? `${m.key.slice(0, 13)}…` : m.key}
              </text>
            </g>
          )
        })}
      </svg>
      <figcaption>
        {c.versions.map((v, i) => (
          <span key={v} className="legend">
            <span className="swatch" style={{ background: COLORS[i % COLORS.length] }} /> v{v}
          </span>
        ))}
      </figcaption>
    </figure>
  )
}

function ParamsDiff({ comparison: c }: { comparison: Comparison }) {
  const { changed, unchanged } = c.params
  return (
    <section aria-labelledby="cmp-params">
      <h2 id="cmp-params">Params</h2>
      {changed.length + unchanged.length === 0 ? (
        <Empty>None of these versions recorded params.</Empty>
      ) : (
        <table data-testid="compare-params">
          <thead>
            <tr>
              <th scope="col">Param</th>
              {versionHeads(c)}
            </tr>
          </thead>
          <tbody>
            {changed.map((p) => (
              <tr key={p.key} className="differs">
                <th scope="row">
                  {p.key}
                  <span className="visually-hidden"> (differs)</span>
                </th>
                {p.values.map((value, i) => (
                  <td key={i} className="mono">
                    {value ?? '—'}
                  </td>
                ))}
              </tr>
            ))}
            {unchanged.map((p) => (
              <tr key={p.key}>
                <th scope="row">{p.key}</th>
                <td className="mono" colSpan={c.versions.length}>
                  {p.value} <span className="muted">(all the same)</span>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  )
}

function LineageDiff({ comparison: c }: { comparison: Comparison }) {
  const rows = [
    ...c.datasets.map((d) => ({ key: `dataset ${d.uri}`, cells: d.usedBy.map((used) => (used ? shortDigest(d.digest) : null)), same: d.usedBy.every(Boolean) })),
    ...c.code.map((r) => ({ key: `code ${r.field}`, cells: r.values, same: r.same })),
    ...c.environment.changed.map((r) => ({ key: `environment ${r.key}`, cells: r.values, same: false })),
  ].filter((r) => r.cells.some((cell) => cell !== null))
  if (rows.length === 0) return null
  return (
    <section aria-labelledby="cmp-lineage">
      <h2 id="cmp-lineage">Datasets, code and environment</h2>
      <table data-testid="compare-lineage">
        <thead>
          <tr>
            <th scope="col" />
            {versionHeads(c)}
          </tr>
        </thead>
        <tbody>
          {rows.map((r) => (
            <tr key={r.key} className={r.same ? undefined : 'differs'}>
              <th scope="row" className="mono small">
                {r.key}
              </th>
              {r.cells.map((cell, i) => (
                <td key={i} className="mono small">
                  {cell ?? <span className="muted">—</span>}
                </td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  )
}

function FilesDiff({ comparison: c }: { comparison: Comparison }) {
  const changed = c.files.filter((f) => f.status !== 'same')
  return (
    <section aria-labelledby="cmp-files">
      <h2 id="cmp-files">Files</h2>
      <p className="muted">
        {changed.length} of {c.files.length} paths differ from v{c.versions[0]}.
      </p>
      <table data-testid="compare-files">
        <thead>
          <tr>
            <th scope="col">Path</th>
            <th scope="col">Status</th>
            {versionHeads(c)}
          </tr>
        </thead>
        <tbody>
          {c.files.map((f) => (
            <tr key={f.path} className={f.status === 'same' ? undefined : 'differs'}>
              <th scope="row" className="mono">
                {f.path}
              </th>
              <td>{f.status}</td>
              {f.digests.map((digest, i) => (
                <td key={i} className="mono small">
                  {digest ? `${shortDigest(digest)} · ${formatBytes(f.sizes[i] ?? 0)}` : <span className="muted">absent</span>}
                </td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  )
}
