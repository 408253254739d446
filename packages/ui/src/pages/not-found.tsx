import { Link } from 'react-router'

export function NotFound() {
  return (
    <section>
      <h1>Page not found</h1>
      <p>
        Nothing lives at this address. <Link to="/models">Browse models</Link>
      </p>
    </section>
  )
}
