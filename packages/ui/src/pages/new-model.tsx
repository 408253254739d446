import { useState } from 'react'
import { useNavigate } from 'react-router'
import { errorMessage } from '../api'
import { to } from '../format'
import { useSession } from '../session'
import { parsePairs } from '../pairs'
import { useTitle } from '../use-title'

export function NewModelPage() {
  const { client, can } = useSession()
  const navigate = useNavigate()
  useTitle('Register a model')
  const [name, setName] = useState('')
  const [description, setDescription] = useState('')
  const [tags, setTags] = useState('')
  const [error, setError] = useState<string | null>(null)
  const [busy, setBusy] = useState(false)
  if (!can('write')) return <p className="status error">You may not register models.</p>
  return (
    <section className="narrow">
      <h1>Register a model</h1>
      <form
        className="stacked"
        onSubmit={async (event) => {
          event.preventDefault()
          setBusy(true)
          setError(null)
          try {
            const model = await client.models.create({ name: name.trim(), description, tags: parsePairs(tags) })
            navigate(to.model(model.name))
          } catch (e) {
            setError(errorMessage(e))
            setBusy(false)
          }
        }}
      >
        <label htmlFor="model-name">Name</label>
        <input id="model-name" value={name} onChange={(e) => setName(e.target.value)} required maxLength={256} placeholder="churn-predictor" />
        <label htmlFor="model-description">Description (Markdown)</label>
        <textarea id="model-description" value={description} onChange={(e) => setDescription(e.target.value)} rows={4} />
        <label htmlFor="model-tags">Tags, one key=value a line</label>
        <textarea id="model-tags" value={tags} onChange={(e) => setTags(e.target.value)} rows={3} placeholder="team=risk" />
        {error && (
          <p className="status error" role="alert">
            {error}
          </p>
        )}
        <button type="submit" className="primary" disabled={busy || !name.trim()}>
          {busy ? 'Registering…' : 'Register'}
        </button>
      </form>
    </section>
  )
}
