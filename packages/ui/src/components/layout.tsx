import { NavLink, Outlet, useLocation } from 'react-router'
import { ErrorBoundary } from './error-boundary'
import { useSession } from '../session'
import { SignIn } from '../pages/sign-in'
import { ErrorBox, Loading } from './status'

export function Layout() {
  const session = useSession()
  const location = useLocation()
  return (
    <>
      <a className="skip" href="#main">
        Skip to content
      </a>
      <header className="top">
        <NavLink to="/models" className="brand">
          Canon
        </NavLink>
        {session.state === 'ready' && (
          <nav aria-label="Main">
            <NavLink to="/models">Models</NavLink>
            <NavLink to="/approvals">Approvals</NavLink>
            <NavLink to="/audit">Audit log</NavLink>
          </nav>
        )}
        <div className="who">
          {session.me && (
            <>
              <span data-testid="whoami">{session.me.name}</span>
              {session.me.authEnabled && (
                <button type="button" onClick={session.signOut}>
                  Sign out
                </button>
              )}
            </>
          )}
        </div>
      </header>
      <main id="main">
        {session.state === 'loading' && <Loading what="Connecting" />}
        {session.state === 'error' && <ErrorBox error={session.error ?? 'The server did not answer.'} retry={() => window.location.reload()} />}
        {session.state === 'signed-out' && <SignIn />}
        {session.state === 'ready' && (
          <ErrorBoundary resetKey={location.pathname}>
            <Outlet />
          </ErrorBoundary>
        )}
      </main>
    </>
  )
}
