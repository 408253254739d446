import { useState } from 'react'
import { errorMessage } from '../api'
import { useSession } from '../session'

/** Shown in place of any page while the server wants a token; the URL stays, so the page loads once signed in. */
export function SignIn() {
  const { signIn } = useSession()
  const [token, setToken] = useState('')
  const [error, setError] = useState<string | null>(null)
  const [busy, setBusy] = useState(false)
  return (
    <section className="sign-in">
      <h1>Sign in</h1>
      <p>This Canon server requires an API token. An admin creates one with <code>canon tokens create &lt;name&gt; --user &lt;you&gt;</code>.</p>
      <form
        onSubmit={async (event) => {
          event.preventDefault()
          setBusy(true)
          setError(null)
          try {
            await signIn(token.trim())
          } catch (e) {
            setError(errorMessage(e))
          } finally {
            setBusy(false)
          }
        }}
      >
        <label htmlFor="token">API token</label>
        <input id="token" type="password" autoComplete="current-password" value={token} onChange={(e) => setToken(e.target.value)} required />
        {error && (
          <p className="status error" role="alert">
            {error}
          </p>
        )}
        <button type="submit" className="primary" disabled={busy || !token.trim()}>
          {busy ? 'Signing in…' : 'Sign in'}
        </button>
      </form>
    </section>
  )
}
