export function StageBadge({ stage }: { stage: string }) {
  return <span className={`badge stage-${stage.toLowerCase()}`}>{stage}</span>
}

export function ApprovalBadge({ status }: { status: string }) {
  return <span className={`badge approval-${status}`}>{status}</span>
}

export function TagList({ tags }: { tags: Record<string, string> }) {
  const entries = Object.entries(tags)
  if (entries.length === 0) return <span className="muted">—</span>
  return (
    <span className="tags">
      {entries.map(([key, value]) => (
        <span key={key} className="tag">
          {key}
          {value && `=${value}`}
        </span>
      ))}
    </span>
  )
}

export function AliasList({ aliases }: { aliases: string[] }) {
  if (aliases.length === 0) return <span className="muted">—</span>
  return (
    <span className="tags">
      {aliases.map((alias) => (
        <span key={alias} className="alias">
          @{alias}
        </span>
      ))}
    </span>
  )
}
