import { Component, type ReactNode } from 'react'

/** A page that throws while rendering shows what happened instead of a blank screen; the rest of the app keeps working. */
export class ErrorBoundary extends Component<{ children: ReactNode; resetKey: string }, { error: Error | null }> {
  override state: { error: Error | null } = { error: null }

  static getDerivedStateFromError(error: Error) {
    return { error }
  }

  override componentDidUpdate(previous: { resetKey: string }) {
    // navigating elsewhere gives the next page a fresh start
    if (previous.resetKey !== this.props.resetKey && this.state.error) this.setState({ error: null })
  }

  override render() {
    if (!this.state.error) return this.props.children
    return (
      <div className="status error" role="alert">
        This page failed to render: {this.state.error.message}
      </div>
    )
  }
}
