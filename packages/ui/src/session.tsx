import { createContext, useCallback, useContext, useEffect, useMemo, useState, type ReactNode } from 'react'
import type { WhoAmI } from '@canon/sdk/browser'
import { errorMessage, isUnauthenticated, makeClient, storeToken, type Client } from './api'
import { can, type Action } from './permissions'

interface Session {
  client: Client
  me: WhoAmI | null
  /** 'loading' until whoami answers; 'signed-out' when the server wants a token */
  state: 'loading' | 'ready' | 'signed-out' | 'error'
  error: string | null
  can(action: Action, model?: string): boolean
  signIn(token: string): Promise<void>
  signOut(): void
}

const SessionContext = createContext<Session | null>(null)

export function SessionProvider({ children }: { children: ReactNode }) {
  const [client, setClient] = useState(() => makeClient())
  const [me, setMe] = useState<WhoAmI | null>(null)
  const [state, setState] = useState<Session['state']>('loading')
  const [error, setError] = useState<string | null>(null)

  useEffect(() => {
    // The server says in the page whether it wants a token; without one, sign in before calling the API at all.
    if (!client.token && document.querySelector('meta[name="canon-auth"]')?.getAttribute('content') === 'on') {
      setState('signed-out')
      return
    }
    let live = true
    client.identities
      .whoami()
      .then((who) => live && (setMe(who), setState('ready')))
      .catch((e: unknown) => {
        if (!live) return
        if (isUnauthenticated(e)) {
          if (client.token) storeToken(undefined)
          setState('signed-out')
        } else {
          setError(errorMessage(e))
          setState('error')
        }
      })
    return () => {
      live = false
    }
  }, [client])

  const signIn = useCallback(async (token: string) => {
    const candidate = makeClient(token)
    const who = await candidate.identities.whoami()
    storeToken(token)
    setMe(who)
    setClient(candidate)
    setState('ready')
  }, [])

  const signOut = useCallback(() => {
    storeToken(undefined)
    setMe(null)
    setState('loading')
    setClient(makeClient(undefined))
  }, [])

  const value = useMemo<Session>(
    () => ({ client, me, state, error, signIn, signOut, can: (action, model) => !!me && can(me.grants, action, model) }),
    [client, me, state, error, signIn, signOut],
  )
  return <SessionContext.Provider value={value}>{children}</SessionContext.Provider>
}

export function useSession(): Session {
  const session = useContext(SessionContext)
  if (!session) throw new Error('useSession outside SessionProvider')
  return session
}

export const useClient = () => useSession().client
