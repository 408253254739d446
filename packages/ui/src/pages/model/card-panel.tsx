import type { ModelCard } from '@canon/sdk/browser'
import { Markdown } from '../../components/markdown'
import { Empty } from '../../components/status'

const FIELDS: [keyof ModelCard, string][] = [
  ['intendedUse', 'Intended use'],
  ['outOfScopeUses', 'Out-of-scope uses'],
  ['trainingData', 'Training data'],
  ['evaluationResults', 'Evaluation results'],
  ['limitationsAndBiases', 'Limitations and biases'],
  ['ethicalConsiderations', 'Ethical considerations'],
]

/** A model or version card: its structured fields and free Markdown body, each rendered from Markdown. */
export function CardView({ card }: { card: ModelCard }) {
  const filled = FIELDS.filter(([field]) => card[field])
  if (filled.length === 0 && !card.body && card.owners.length === 0) return <Empty>No model card yet (<code>canon card set</code> writes one).</Empty>
  return (
    <div className="card-view">
      <p className="small">
        {card.complete ? <span className="badge approval-approved">complete</span> : <span className="badge approval-pending">incomplete</span>}
        {card.missingFields.length > 0 && <span className="muted"> missing: {card.missingFields.join(', ')}</span>}
      </p>
      {filled.map(([field, label]) => (
        <div key={field}>
          <h3>{label}</h3>
          <Markdown text={String(card[field])} />
        </div>
      ))}
      {card.owners.length > 0 && (
        <>
          <h3>Owners</h3>
          <ul>
            {card.owners.map((o) => (
              <li key={o.name}>
                {o.name} {o.contact && <span className="muted">&lt;{o.contact}&gt;</span>}
              </li>
            ))}
          </ul>
        </>
      )}
      {card.body && <Markdown text={card.body} />}
    </div>
  )
}
