import { Link } from 'react-router'
import type { LineageGraph, LineageNode } from '@canon/sdk/browser'
import { Empty } from '../../components/status'
import { to } from '../../format'

const NODE_W = 190
const NODE_H = 46
const COL_GAP = 130
const ROW_GAP = 22

const KIND_COLOR: Record<string, string> = {
  version: '#2f5bd3',
  run: '#8854d0',
  experiment: '#a55eea',
  dataset: '#20bf6b',
  code: '#4b6584',
  environment: '#fa8231',
  deployment: '#eb3b5a',
}

/**
 * Columns by distance from the version: following an edge forward (version → dataset, run → experiment, child →
 * parent) goes one column left (upstream); following one backward (deployment → version) one column right (downstream).
 */
export function layoutLineage(graph: LineageGraph): Map<string, { x: number; y: number }> {
  const column = new Map<string, number>([[graph.root, 0]])
  const queue = [graph.root]
  while (queue.length > 0) {
    const id = queue.shift()!
    const here = column.get(id)!
    for (const edge of graph.edges) {
      const next = edge.from === id ? { node: edge.to, col: here - 1 } : edge.to === id ? { node: edge.from, col: here + 1 } : null
      if (next && !column.has(next.node)) {
        column.set(next.node, next.col)
        queue.push(next.node)
      }
    }
  }
  for (const node of graph.nodes) if (!column.has(node.id)) column.set(node.id, 1)
  const min = Math.min(...column.values())
  const members = new Map<number, string[]>()
  for (const node of graph.nodes) {
    const col = column.get(node.id)! - min
    members.set(col, [...(members.get(col) ?? []), node.id])
  }
  // each column centred on the tallest one, so the version sits level with what surrounds it
  const tallest = Math.max(...[...members.values()].map((ids) => ids.length))
  const positions = new Map<string, { x: number; y: number }>()
  for (const [col, ids] of members) {
    const offset = ((tallest - ids.length) * (NODE_H + ROW_GAP)) / 2
    ids.forEach((id, row) => positions.set(id, { x: 10 + col * (NODE_W + COL_GAP), y: 10 + offset + row * (NODE_H + ROW_GAP) }))
  }
  return positions
}

const clip = (text: string, n = 26) => (text.length > n ? `${text.slice(0, n - 1)}…` : text)

function NodeBox({ node, at, root }: { node: LineageNode; at: { x: number; y: number }; root: boolean }) {
  const color = KIND_COLOR[node.kind] ?? '#777'
  const box = (
    <g transform={`translate(${at.x}, ${at.y})`} data-kind={node.kind}>
      <rect width={NODE_W} height={NODE_H} rx={6} fill={root ? color : '#fff'} stroke={color} strokeWidth={root ? 0 : 2} />
      <text x={10} y={18} fontSize={10} fill={root ? '#fff' : color} fontWeight={600}>
        {node.kind.toUpperCase()}
      </text>
      <text x={10} y={35} fontSize={12} fill={root ? '#fff' : '#1d2330'}>
        {clip(node.label)}
      </text>
      <title>{`${node.kind}: ${node.label}`}</title>
    </g>
  )
  const data = node.data as { model?: unknown; version?: unknown }
  if (node.kind === 'version' && !root && typeof data.model === 'string' && typeof data.version === 'number') {
    return (
      <Link to={to.version(data.model, data.version)} aria-label={`${node.label}`}>
        {box}
      </Link>
    )
  }
  return box
}

/** The lineage graph as SVG: upstream on the left, the version in the middle, deployments and descendants on the right. */
export function LineageView({ graph }: { graph: LineageGraph }) {
  if (graph.nodes.length <= 1) return <Empty>No lineage recorded: no run, datasets, code, environment, parent or deployments.</Empty>
  const at = layoutLineage(graph)
  const width = Math.max(...[...at.values()].map((p) => p.x)) + NODE_W + 20
  const height = Math.max(...[...at.values()].map((p) => p.y)) + NODE_H + 20
  const byId = new Map(graph.nodes.map((n) => [n.id, n]))
  return (
    <>
      <figure className="chart lineage" data-testid="lineage-graph">
        <svg width={width} height={height} role="img" aria-label={`Lineage of ${byId.get(graph.root)?.label ?? graph.root}`}>
          <defs>
            <marker id="arrow" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" markerHeight="7" orient="auto-start-reverse">
              <path d="M 0 0 L 10 5 L 0 10 z" fill="#8a94a6" />
            </marker>
          </defs>
          {graph.edges.map((edge) => {
            const a = at.get(edge.from)
            const b = at.get(edge.to)
            if (!a || !b) return null
            // from the right side of the left box to the left side of the right one
            const [left, right] = a.x <= b.x ? [a, b] : [b, a]
            const x1 = left.x + NODE_W
            const y1 = left.y + NODE_H / 2
            const x2 = right.x
            const y2 = right.y + NODE_H / 2
            const mid = (x1 + x2) / 2
            const forward = a.x <= b.x
            // the label sits at the end away from the version, where edges fan out instead of meeting
            const leftIsRoot = (a.x <= b.x ? edge.from : edge.to) === graph.root
            const label = leftIsRoot ? { x: x2 - 8, y: y2 - 5, anchor: 'end' as const } : { x: x1 + 8, y: y1 - 5, anchor: 'start' as const }
            return (
              <g key={`${edge.from}-${edge.to}-${edge.kind}`}>
                <path d={`M ${x1} ${y1} C ${mid} ${y1}, ${mid} ${y2}, ${x2} ${y2}`} fill="none" stroke="#8a94a6" strokeWidth={1.5} markerEnd={forward ? 'url(#arrow)' : undefined} markerStart={forward ? undefined : 'url(#arrow)'} />
                <text x={label.x} y={label.y} fontSize={10} textAnchor={label.anchor} fill="#5f6b7a">
                  {edge.kind.replace(/_/g, ' ')}
                </text>
              </g>
            )
          })}
          {graph.nodes.map((node) => (
            <NodeBox key={node.id} node={node} at={at.get(node.id)!} root={node.id === graph.root} />
          ))}
        </svg>
      </figure>
      <details>
        <summary>Lineage as a list</summary>
        <ul data-testid="lineage-list">
          {graph.edges.map((edge) => (
            <li key={`${edge.from}-${edge.to}-${edge.kind}`}>
              {byId.get(edge.from)?.label ?? edge.from} — {edge.kind.replace(/_/g, ' ')} → {byId.get(edge.to)?.label ?? edge.to}
            </li>
          ))}
        </ul>
      </details>
    </>
  )
}
